// The node-preparation playbook (roles/preinstall) on real hosts, through the real CLI: check mode
// touches nothing, the first run converges, the second changes nothing.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runCli } from "../../unit/cli/run-cli.js";

const playbook = resolve("playbooks/prepare-nodes.yml");
let bed: TestHosts;
let inventory: string;

beforeAll(async () => {
  bed = await startHosts(2);
  inventory = join(mkdtempSync(join(tmpdir(), "kplay-preinstall-")), "inventory.ini");
  // Docker bind-mounts /etc/hosts into containers: it cannot be replaced atomically there.
  writeFileSync(
    inventory,
    bed.inventoryIni("[kube_control_plane]\nnode1\n[etcd]\nnode1\n[kube_node]\nnode2\n" +
      "[k8s_cluster:children]\nkube_control_plane\nkube_node\n[all:vars]\npreinstall_manage_etc_hosts=false\n"),
  );
});

afterAll(async () => {
  await bed?.stopAll();
});

function kplay(...args: string[]) {
  return runCli(["-i", inventory, playbook, ...args], "", "real");
}

function recapLine(out: string, host: string): string {
  const line = out.split("\n").find((l) => l.startsWith(`${host} `) && l.includes("ok="));
  if (!line) throw new Error(`no recap line for ${host} in:\n${out}`);
  return line;
}

test("check mode reports changes and leaves the hosts untouched", async () => {
  const run = await kplay("--check");
  expect(run.code, run.stdout + run.stderr).toBe(0);
  expect(recapLine(run.stdout, "node1")).toMatch(/changed=[1-9]/);
  const file = await bed.host("node1").exec("test -e /etc/sysctl.d/99-kubernetes.conf");
  expect(file.rc).toBe(1);
});

test("first run converges every node, second run changes nothing", async () => {
  const first = await kplay();
  expect(first.code, first.stdout + first.stderr).toBe(0);
  for (const host of ["node1", "node2"]) {
    expect(recapLine(first.stdout, host)).toMatch(/changed=[1-9]\d*\s+unreachable=0\s+failed=0/);
    const node = bed.host(host);
    expect((await node.exec("cat /proc/sys/net/ipv4/ip_forward")).stdout.trim()).toBe("1");
    expect((await node.exec("cat /proc/sys/net/bridge/bridge-nf-call-iptables")).stdout.trim()).toBe("1");
    const persisted = await node.exec("cat /etc/sysctl.d/99-kubernetes.conf");
    expect(persisted.stdout).toContain("net.ipv4.ip_forward");
    expect((await node.exec("cat /etc/modules-load.d/br_netfilter.conf")).stdout).toContain("br_netfilter");
  }
  const second = await kplay();
  expect(second.code, second.stdout + second.stderr).toBe(0);
  for (const host of ["node1", "node2"]) {
    expect(recapLine(second.stdout, host)).toMatch(/changed=0\s+unreachable=0\s+failed=0/);
  }
});
