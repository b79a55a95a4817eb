// kplay's main job on an embedded default: with no inventory given, start three local test hosts
// (real Debian containers with systemd and sshd) and prepare them as Kubernetes nodes, twice: the
// second run shows the play is idempotent (changed=0).
//   npx tsx scripts/demo.ts                 # local test hosts
//   npx tsx scripts/demo.ts -i inventory.ini [more kplay flags]
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startHosts } from "../test/support/hosts.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const playbook = path.join(root, "playbooks", "prepare-nodes.yml");

function kplay(args: string[]): number {
  const run = spawnSync(process.execPath, [path.join(root, "bin", "kplay.js"), ...args], { stdio: "inherit" });
  return run.status ?? 1;
}

async function main(): Promise<number> {
  const userArgs = process.argv.slice(2);
  if (userArgs.includes("-i") || userArgs.some((a) => a.startsWith("--inventory"))) {
    return kplay([...userArgs, playbook]);
  }
  console.log("No inventory given: starting 3 local test hosts (first use builds the host image, a few minutes)...");
  const bed = await startHosts(3);
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kplay-demo-"));
    const inventory = path.join(dir, "inventory.ini");
    // Docker owns /etc/hosts inside containers (a bind mount cannot be replaced atomically).
    writeFileSync(
      inventory,
      bed.inventoryIni("[kube_control_plane]\nnode1\n[etcd]\nnode1\n[kube_node]\nnode2\nnode3\n" +
        "[k8s_cluster:children]\nkube_control_plane\nkube_node\n[all:vars]\npreinstall_manage_etc_hosts=false\n"),
    );
    console.log(`Inventory: ${inventory}\n\n=== First run (converges the hosts)`);
    const first = kplay(["-i", inventory, playbook, ...userArgs]);
    if (first !== 0) return first;
    console.log("\n=== Second run (nothing left to change: expect changed=0)");
    return kplay(["-i", inventory, playbook, ...userArgs]);
  } finally {
    await bed.stopAll();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
