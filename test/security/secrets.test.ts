// Known secrets go through a real run (no_log tasks, sudo password on stdin like -K, SSH password
// from the inventory, a vault password and the `!vault` value it opens) and must show up nowhere: human output, --json, the -vvv --log-file, and
// the process lists of the control machine and the target while a become command runs.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineVaultBlock } from "../../src/engine/vault/inline-block.js";
import { encryptWith } from "../../src/engine/vault/keyring.js";
import { startHosts, type TestHosts } from "../support/hosts.js";
import { runCli, type CliRun } from "../unit/cli/run-cli.js";

const TASK_SECRET = "s3cr3t-Task-Value-91qz";
const FACT_SECRET = "s3cr3t-Fact-Value-48kw";
const VAULT_PASSWORD = "s3cr3t-Vault-Pass-63vb";
const VAULTED_SECRET = "s3cr3t-Vaulted-Value-27mx";
const vaultedValue = inlineVaultBlock(encryptWith({ id: "default", password: Buffer.from(VAULT_PASSWORD) }, Buffer.from(VAULTED_SECRET))).replace(/\n/g, "\n    ");

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  become: true
  vars:
    task_secret: "${TASK_SECRET}"
    vaulted_secret: ${vaultedValue}
  tasks:
    - name: show a hidden value
      debug:
        msg: "the value is {{ task_secret }}"
      no_log: true
    - name: remember a hidden value
      set_fact:
        hidden_fact: "${FACT_SECRET}"
      no_log: true
    - name: echo a hidden value
      command: echo {{ task_secret }} {{ hidden_fact }} {{ vaulted_secret }}
      no_log: true
    - name: loop over hidden values
      command: echo {{ item }}
      loop:
        - "{{ task_secret }}-a"
        - "{{ hidden_fact }}-b"
      no_log: true
    - name: long command as root
      command: sleep 4
    - name: whoami as root
      command: id -un
      register: who
    - name: check become worked
      assert:
        that: who.stdout == "root"
    - name: hidden failure
      shell: echo {{ task_secret }} >&2; exit 3
      no_log: true
      ignore_errors: true
`;

const execFileAsync = promisify(execFile);

interface ObservedRun {
  run: CliRun;
  log: string;
  journal: string;
  controlPs: string;
  targetPs: string;
}

describe("secrets stay out of output, logs and process lists", () => {
  let bed: TestHosts;
  let dir: string;
  let inventory: string;

  beforeAll(async () => {
    bed = await startHosts(1);
    dir = mkdtempSync(join(tmpdir(), "kplay-secrets-"));
    const h = bed.hosts[0]!;
    // Password login as the sudoer: the SSH password comes from the inventory (ansible_password),
    // the sudo password from stdin (-K).
    inventory = join(dir, "inventory.ini");
    writeFileSync(
      inventory,
      `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${bed.deployUser} ` +
        `ansible_password=${bed.deployPassword} ` +
        `ansible_ssh_common_args='-o UserKnownHostsFile=${bed.knownHostsPath} -o StrictHostKeyChecking=yes'\n`,
    );
    writeFileSync(join(dir, "playbook.yml"), PLAYBOOK);
    writeFileSync(join(dir, "vault-pass"), `${VAULT_PASSWORD}\n`);
  });
  afterAll(async () => {
    await bed?.stopAll();
  });

  /** Runs the CLI while sampling `ps -eo args` on both machines until it ends. */
  async function observedRun(extra: string[], logName: string): Promise<ObservedRun> {
    const logPath = join(dir, logName);
    let finished = false;
    let controlPs = "";
    let targetPs = "";
    const sampler = (async () => {
      while (!finished) {
        const [local, remote] = await Promise.all([execFileAsync("ps", ["-eo", "args"]), bed.hosts[0]!.exec("ps -eo args")]);
        controlPs += local.stdout;
        targetPs += remote.stdout;
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const journalPath = join(dir, `${logName}.journal.jsonl`);
    const run = await runCli(["-i", inventory, "-K", "--log-file", logPath, "--journal", journalPath, "-vvv", "--vault-password-file", join(dir, "vault-pass"), ...extra, join(dir, "playbook.yml")], `${bed.deployPassword}\n`, "real").finally(
      () => (finished = true),
    );
    await sampler;
    return { run, log: readFileSync(logPath, "utf8"), journal: readFileSync(journalPath, "utf8"), controlPs, targetPs };
  }

  function expectNoSecrets(observed: ObservedRun): void {
    const places = { stdout: observed.run.stdout, stderr: observed.run.stderr, log: observed.log, journal: observed.journal, controlPs: observed.controlPs, targetPs: observed.targetPs };
    for (const secret of [TASK_SECRET, FACT_SECRET, VAULT_PASSWORD, VAULTED_SECRET, bed.deployPassword]) {
      for (const [where, text] of Object.entries(places)) expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
    }
  }

  it("human output with -vvv and its log file hide every secret", async () => {
    const observed = await observedRun([], "human.log");
    expect(observed.run.code, observed.run.stdout + observed.run.stderr).toBe(0);
    // The become command really ran while the process lists were sampled.
    expect(observed.targetPs).toContain("sleep 4");
    expectNoSecrets(observed);
    // A hidden failure still says what failed.
    expect(observed.run.stdout).toContain("hidden failure");
    expect(observed.run.stdout).toContain("non-zero return code");
    expect(observed.run.stdout).toMatch(/ignored=1/);
  });

  it("--json output and its log file hide every secret", async () => {
    const observed = await observedRun(["--json"], "json.log");
    expect(observed.run.code, observed.run.stdout + observed.run.stderr).toBe(0);
    expectNoSecrets(observed);
    const failure = observed.run.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { event: string; status?: string; result?: { msg?: string; rc?: number } })
      .find((e) => e.event === "host_result" && e.status === "failed");
    expect(failure?.result).toMatchObject({ msg: "non-zero return code", rc: 3 });
    // The log recorded the hidden tasks, so an empty log cannot pass as clean.
    expect(observed.log).toContain("hidden failure");
    // So did the journal: every task has a result line, a no_log one with its status only.
    expect(observed.journal).toContain('"title":"hidden failure"');
    expect(observed.journal.split("\n").filter((l) => l.includes('"noLog":true')).length).toBe(5);
    expect(observed.log).toContain("no_log");
  });
});
