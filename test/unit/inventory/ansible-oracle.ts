// Runs the real ansible-inventory (Debian's ansible-core) so kplay's output can be compared with it.
// Missing ansible-inventory makes the caller fail: the comparison is the point of those tests.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

// An empty working directory and config, so nothing around the test run leaks into Ansible's view.
const workDir = mkdtempSync(join(tmpdir(), "kplay-ansible-inventory-"));
const configFile = join(workDir, "ansible.cfg");
writeFileSync(configFile, "");

/** An empty directory to stand for "no playbook directory" on both sides. */
export const EMPTY_DIR = workDir;

export interface AnsibleInventoryCall {
  sources: string[];
  action: string[];
  playbookDir: string;
}

async function ansibleInventory(call: AnsibleInventoryCall): Promise<string> {
  const args = [...call.sources.flatMap((s) => ["-i", s]), "--playbook-dir", call.playbookDir, ...call.action];
  const { stdout } = await run("ansible-inventory", args, {
    cwd: workDir,
    encoding: "utf8",
    env: { ...process.env, ANSIBLE_CONFIG: configFile, ANSIBLE_NOCOLOR: "1" },
  });
  return stdout;
}

/** Runs every call, a few at a time (each is a ~1 s Python start), returning outputs in order. */
export async function ansibleInventoryAll(calls: AnsibleInventoryCall[], concurrency = 3): Promise<string[]> {
  const outputs: string[] = new Array(calls.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < calls.length) {
      const i = next++;
      outputs[i] = await ansibleInventory(calls[i]);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outputs;
}
