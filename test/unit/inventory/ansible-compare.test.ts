// kplay inventory --list/--host/--graph against the real ansible-inventory on the fixtures.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inventoryCommand } from "../../../src/cli/inventory-command.js";
import { ansibleInventory, EMPTY_DIR } from "./ansible-oracle.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/inventory");
const at = (p: string): string => (p.includes(",") ? p : join(FIXTURES, p));

interface Case {
  name: string;
  sources: string[];
  playbookDir?: string;
  /** Hosts whose --host output is compared too. */
  hosts: string[];
}

const CASES: Case[] = [
  { name: "INI typed values, ranges and orphan vars", sources: ["ini-basics/hosts.ini"], hosts: ["top1", "web02"] },
  { name: "INI ranges, strides, letters, ports, IPv6", sources: ["ini-ranges/hosts"], hosts: ["p1", "node-a.example.com"] },
  { name: "INI children of children, vars at every level", sources: ["ini-children/hosts"], hosts: ["cp1", "leaf", "mid"] },
  { name: "YAML inventory with YAML 1.1 scalars", sources: ["yaml-basics/hosts.yml"], hosts: ["web1", "db2", "lonely"] },
  { name: "directory source with group_vars and host_vars", sources: ["dir-source"], hosts: ["w1", "d1"] },
  { name: "several -i merged in order", sources: ["multi-i/a/hosts", "multi-i/b/inv.yaml"], hosts: ["h1", "h2", "h3"] },
  { name: "group_vars directories and files", sources: ["vars-dirs/hosts"], hosts: ["w1", "w2"] },
  { name: "playbook group_vars/host_vars above the inventory's", sources: ["vars-dirs/hosts"], playbookDir: "playbook", hosts: ["w1", "w2"] },
  { name: "INI quoting, comments, [all], [ungrouped], ports of known hosts, priorities", sources: ["ini-edge/hosts"], hosts: ["alpha", "beta", "delta", "gamma", "epsilon"] },
  { name: "YAML anchors, merge keys, string hosts, null groups", sources: ["yaml-edge/inv.yaml"], hosts: ["w1", "w2", "dbhost"] },
  { name: "JSON inventory", sources: ["json-inv/inv.json"], hosts: ["j1"] },
  { name: "nested directory source", sources: ["nested-dir"], hosts: ["s1"] },
  { name: "ansible_group_priority orders same-depth groups", sources: ["priority/hosts"], hosts: ["h1"] },
  { name: "every fixture at once", sources: ["ini-children/hosts", "yaml-basics/hosts.yml", "dir-source", "vars-dirs/hosts", "ini-edge/hosts"], playbookDir: "playbook", hosts: ["w1", "cp1", "web1"] },
  { name: "comma-separated host list", sources: ["a.example.com,10.0.0.5:2222,[::1]:22,web[1:2],", "ini-basics/hosts.ini"], hosts: ["10.0.0.5"] },
];

describe("kplay inventory matches ansible-inventory", () => {
  for (const c of CASES) {
    const sources = c.sources.map(at);
    const playbookDir = c.playbookDir ? join(FIXTURES, c.playbookDir) : EMPTY_DIR;
    it(`${c.name}: --list`, () => {
      const expected = JSON.parse(ansibleInventory(sources, ["--list"], playbookDir));
      const actual = JSON.parse(inventoryCommand({ inventories: sources, list: true, playbookDir }));
      expect(actual).toEqual(expected);
    });
    it(`${c.name}: --graph`, () => {
      const expected = ansibleInventory(sources, ["--graph"], playbookDir).trimEnd();
      expect(inventoryCommand({ inventories: sources, graph: true, playbookDir })).toBe(expected);
    });
    // Compared as data: Python prints the float 1000.0 where JavaScript has only the number 1000.
    it(`${c.name}: --host`, () => {
      for (const host of c.hosts) {
        const expected = JSON.parse(ansibleInventory(sources, ["--host", host], playbookDir));
        expect(JSON.parse(inventoryCommand({ inventories: sources, host, playbookDir })), host).toEqual(expected);
      }
    });
  }
});
