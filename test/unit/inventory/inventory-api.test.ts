// The Inventory the engine reads: merged vars, group names, the groups map, implicit localhost.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { tempTree } from "./temp-inventory.js";

const dir = tempTree({
  "inv/hosts": [
    "[k8s:children]",
    "masters",
    "nodes",
    "[masters]",
    "m1 ansible_host=10.0.0.1 conf='{{ base }}/conf' opts=\"{'a': 1}\"",
    "[nodes]",
    "n2",
    "n1",
    "[k8s:vars]",
    "level=k8s",
    "[masters:vars]",
    "level=masters",
    "opts={'b': 2}",
    "[all:vars]",
    "level=all",
    "",
  ].join("\n"),
  "inv/group_vars/all.yml": "from_all_file: true\nlevel: all_file\n",
  "inv/group_vars/nodes/main.yml": "node_only: 1\n",
  "play/host_vars/n1.yml": "level: playbook_host\n",
});
const { inventory, errors } = loadInventory([join(dir, "inv/hosts")], { playbookDir: join(dir, "play") });

describe("Inventory API", () => {
  it("loads without errors", () => {
    expect(errors).toEqual([]);
  });

  it("lists hosts in the order first seen", () => {
    expect(inventory.hostNames).toEqual(["m1", "n2", "n1"]);
  });

  it("merges vars with Ansible's precedence, keeping templates raw and replacing dicts", () => {
    expect(inventory.hostVars("m1")).toEqual({
      ansible_host: "10.0.0.1",
      conf: "{{ base }}/conf",
      opts: { a: 1 },
      from_all_file: true,
      // group_vars/all outranks every INI [group:vars], as in Ansible.
      level: "all_file",
    });
    expect(inventory.hostVars("n1")).toMatchObject({ level: "playbook_host", node_only: 1 });
  });

  it("hands out copies, so callers cannot change the inventory", () => {
    inventory.hostVars("m1").conf = "changed";
    expect(inventory.hostVars("m1").conf).toBe("{{ base }}/conf");
  });

  it("gives group_names sorted, without all", () => {
    expect(inventory.groupNames("m1")).toEqual(["k8s", "masters"]);
  });

  it("maps every group to its hosts, children included", () => {
    expect(inventory.groupsMap()).toEqual({
      all: ["m1", "n2", "n1"],
      ungrouped: [],
      k8s: ["m1", "n2", "n1"],
      masters: ["m1"],
      nodes: ["n2", "n1"],
    });
  });

  it("knows the implicit localhost, which connects locally and gets the all vars", () => {
    expect(inventory.hostVars("localhost")).toMatchObject({ ansible_connection: "local", level: "all_file" });
    expect(inventory.groupNames("localhost")).toEqual([]);
  });

  it("refuses hosts it does not know", () => {
    expect(() => inventory.hostVars("nope")).toThrow(KplayError);
  });

  it("reads a host list source, ports included, into ungrouped", () => {
    const list = loadInventory(["a.example.com, 10.0.0.9:2200 ,[::1]:2022,"]).inventory;
    expect(list.hostNames).toEqual(["a.example.com", "10.0.0.9", "::1"]);
    expect(list.hostVars("10.0.0.9")).toEqual({ ansible_port: 2200 });
    expect(list.groupsMap().ungrouped).toEqual(["a.example.com", "10.0.0.9", "::1"]);
  });
});
