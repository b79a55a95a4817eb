// kplay --list-tasks / --list-hosts / --list-tags print what ansible-playbook prints for the same
// playbook, inventory and tag selection (Debian's ansible-core is the reference).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = join(import.meta.dirname, "../../fixtures/playbooks/site");
const inventory = join(dir, "hosts.ini");
const ansibleHome = mkdtempSync(join(tmpdir(), "kplay-ansible-"));
afterAll(() => rmSync(ansibleHome, { recursive: true, force: true }));

function ansiblePlaybook(args: string[]): string {
  return execFileSync("ansible-playbook", args, {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, HOME: ansibleHome, ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCALHOST_WARNING: "0", ANSIBLE_ROLES_PATH: join(dir, "roles") },
  });
}

/** Ansible prints a play's hosts in Python set order; kplay in inventory order. Sort both. */
function sortHostLists(text: string): string {
  return text.replace(/(    hosts \(\d+\):\n)((?: {6}.*\n?)*)/g, (_m, head: string, hosts: string) => {
    const lines = hosts.split("\n").filter(Boolean).sort();
    return head + lines.map((l) => `${l}\n`).join("");
  });
}

const selections: string[][] = [
  [],
  ["-t", "debug"],
  ["-t", "blk,two"],
  ["-t", "tagged"],
  ["-t", "untagged"],
  ["-t", "never"],
  ["--skip-tags", "always,imported"],
  ["--skip-tags", "site"],
  ["-t", "post", "-l", "web1"],
];

describe("listing matches ansible-playbook", () => {
  const cases = [
    ...selections.map((selection) => ["site.yml", selection] as const),
    ["second.yml", ["-t", "second"]] as const,
    ["templated.yml", []] as const,
    ["templated.yml", ["-e", "target=db", "-e", "app=cart"]] as const,
  ];
  it.each(cases)("%s --list-tasks --list-hosts --list-tags %j", async (playbook, selection) => {
    const args = ["-i", inventory, ...selection, "--list-tasks", "--list-hosts", "--list-tags", join(dir, playbook)];
    const kplay = await runCli(args);
    expect(kplay.stderr).toBe("");
    expect(kplay.code).toBe(0);
    expect(sortHostLists(kplay.stdout)).toBe(sortHostLists(ansiblePlaybook(args)));
  });
});
