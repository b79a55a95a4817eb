// Kubespray-style role defaults (statements, ipaddr chains, hostvars lookups, literal conversion)
// resolved through VariableScope. Expected values are what ansible-core 2.14 printed for the same
// defaults file and inventory (`copy: content="{{ {...} | to_json }}"`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { VariableScope } from "../../../src/engine/vars/index.js";
import { hostvarsOver } from "../hostvars-over.js";

const defaults = YAML.parse(readFileSync(join(import.meta.dirname, "fixtures", "kubespray-like-defaults.yml"), "utf8"));

const inventory: Record<string, Record<string, unknown>> = {
  n1: { ip: "10.0.0.1", access_ip: "192.168.0.1" },
  n2: { ip: "10.0.0.2", etcd_member_name: "etcd-b" },
  n3: { ip: "10.0.0.3", etcd_access_address: "172.16.0.3" },
};
const groups = { all: ["n1", "n2", "n3"], kube_control_plane: ["n1"], etcd: ["n1", "n2", "n3"], ungrouped: [] };

function hostScopes(): Map<string, VariableScope> {
  const scopes = new Map<string, VariableScope>();
  const hostvars = hostvarsOver(scopes);
  for (const [host, vars] of Object.entries(inventory)) {
    const magic = { inventory_hostname: host, groups, hostvars };
    scopes.set(host, VariableScope.fromLayers([defaults, vars, magic], { label: host }));
  }
  return scopes;
}

describe("Kubespray-like defaults", () => {
  it("resolve like Ansible", () => {
    const n1 = hostScopes().get("n1")!;
    const expected = {
      kube_major_version: "v1.30",
      kube_apiserver_ip: "10.233.0.1",
      skydns_server: "10.233.0.3",
      kube_apiserver_endpoint: "https://192.168.0.1:6443",
      first_kube_control_plane_address: "192.168.0.1",
      etcd_access_addresses: "https://10.0.0.1:2379,https://10.0.0.2:2379,https://172.16.0.3:2379",
      etcd_peer_addresses: "etcd1=https://10.0.0.1:2380,etcd-b=https://10.0.0.2:2380,etcd3=https://10.0.0.3:2380",
      kube_cert_dir: "/etc/kubernetes/ssl",
      kubelet_flags: ["--v=2", "--node-ip=10.0.0.1"],
      docker_options: "--insecure-registry=10.233.0.0/18 ",
      node_labels: { role: "node" },
      dns_servers: "[10.233.0.3, '8.8.8.8']",
      is_etcd: true,
      kube_proxy_mode_ipvs: true,
    };
    for (const [name, value] of Object.entries(expected)) expect({ name, value: n1.get(name) }).toEqual({ name, value });
  });

  it("follow overrides in higher layers and per-host values", () => {
    const scopes = hostScopes();
    const n2 = scopes.get("n2")!;
    expect(n2.get("kubelet_flags")).toEqual(["--v=2", "--node-ip=10.0.0.2"]);
    const withLb = n2.with({ loadbalancer_apiserver: { address: "10.0.0.100", port: 8383 }, kube_proxy_mode: "iptables" });
    expect(withLb.get("kube_apiserver_endpoint")).toBe("https://lb-apiserver.kubernetes.local:8383");
    expect(withLb.get("kube_proxy_mode_ipvs")).toBe(false);
    expect(n2.get("kube_apiserver_endpoint")).toBe("https://192.168.0.1:6443");
  });
});
