// Runs the real ansible-inventory (Debian's ansible-core) so kplay's output can be compared with it.
// Missing ansible-inventory makes the caller fail: the comparison is the point of those tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// An empty working directory and config, so nothing around the test run leaks into Ansible's view.
const workDir = mkdtempSync(join(tmpdir(), "kplay-ansible-inventory-"));
const configFile = join(workDir, "ansible.cfg");
writeFileSync(configFile, "");

/** An empty directory to stand for "no playbook directory" on both sides. */
export const EMPTY_DIR = workDir;

export function ansibleInventory(sources: string[], action: string[], playbookDir = EMPTY_DIR): string {
  const args = [...sources.flatMap((s) => ["-i", s]), "--playbook-dir", playbookDir, ...action];
  return execFileSync("ansible-inventory", args, {
    cwd: workDir,
    encoding: "utf8",
    env: { ...process.env, ANSIBLE_CONFIG: configFile, ANSIBLE_NOCOLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
