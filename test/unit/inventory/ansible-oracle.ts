// Runs the real ansible-inventory (Debian's ansible-core) so kplay's output can be compared with it.
// Missing ansible-inventory makes the caller fail: the comparison is the point of those tests.
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { tempDir } from "./temp-inventory.js";

const run = promisify(execFile);

// An empty working directory and config, so nothing around the test run leaks into Ansible's view.
const workDir = tempDir("kplay-ansible-inventory-");
const configFile = join(workDir, "ansible.cfg");
writeFileSync(configFile, "");
const options = {
  cwd: workDir,
  encoding: "utf8" as const,
  env: { ...process.env, ANSIBLE_CONFIG: configFile, ANSIBLE_NOCOLOR: "1" },
  maxBuffer: 256 * 1024 * 1024,
};

/** An empty directory to stand for "no playbook directory" on both sides. */
export const EMPTY_DIR = workDir;

export interface AnsibleInventoryCall {
  sources: string[];
  action: string[];
  playbookDir: string;
}

const argsOf = (call: AnsibleInventoryCall): string[] => [
  ...call.sources.flatMap((s) => ["-i", s]),
  "--playbook-dir",
  call.playbookDir,
  ...call.action,
];

/** One run of the ansible-inventory program itself. */
export async function ansibleInventory(call: AnsibleInventoryCall): Promise<string> {
  return (await run("ansible-inventory", argsOf(call), options)).stdout;
}

export interface AnsibleInventoryRun {
  rc: number;
  stdout: string;
  /** Ansible's warnings, e.g. "Unable to parse ... as an inventory source". */
  stderr: string;
}

/** Many runs of ansible-inventory's entry point in one Python process, in call order. */
export async function ansibleInventoryRuns(calls: AnsibleInventoryCall[]): Promise<AnsibleInventoryRun[]> {
  const child = run("/usr/bin/python3", [join(import.meta.dirname, "ansible_inventory_batch.py")], options);
  child.child.stdin!.end(JSON.stringify(calls.map(argsOf)));
  return JSON.parse((await child).stdout) as AnsibleInventoryRun[];
}

/** The outputs of runs that must all succeed. */
export async function ansibleInventoryAll(calls: AnsibleInventoryCall[]): Promise<string[]> {
  return (await ansibleInventoryRuns(calls)).map((r, i) => {
    if (r.rc !== 0) throw new Error(`ansible-inventory ${argsOf(calls[i]).join(" ")} exited with ${r.rc}: ${r.stderr}`);
    return r.stdout;
  });
}
