// Large inventories (Kubernetes' limit is 5,000 nodes; 50,000 leaves room) must load in linear time:
// a quadratic step anywhere (list scans per host, a stat per host and candidate) takes minutes here.
import { join } from "node:path";
import { expect, it } from "vitest";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { resolvePattern } from "../../../src/engine/inventory/pattern.js";
import { tempTree } from "./temp-inventory.js";

it("loads 50,000 hosts, merges their vars and resolves a pattern in linear time", () => {
  const dir = tempTree({
    hosts: [
      "[kube_node]",
      "node[00001:50000] role=worker",
      "[kube_control_plane]",
      "node0000[1:3]",
      "[etcd:children]",
      "kube_control_plane",
      "[k8s_cluster:children]",
      "kube_node",
      "kube_control_plane",
      "",
    ].join("\n"),
    "group_vars/all.yml": "cluster: demo\n",
    "group_vars/k8s_cluster/main.yml": "cni: calico\n",
    "host_vars/node00002.yml": "special: true\n",
  });
  const started = Date.now();
  const { inventory, errors } = loadInventory([join(dir, "hosts")]);
  expect(errors).toEqual([]);
  const vars = inventory.hostNames.map((h) => inventory.hostVars(h));
  const selected = resolvePattern(inventory, "k8s_cluster:!etcd");
  const elapsed = Date.now() - started;

  expect(vars[1]).toEqual({ role: "worker", cluster: "demo", cni: "calico", special: true });
  expect(selected).toHaveLength(49_997);
  // Linear work takes ~1 s even on a busy machine; a quadratic step would take minutes.
  expect(elapsed).toBeLessThan(20_000);
});
