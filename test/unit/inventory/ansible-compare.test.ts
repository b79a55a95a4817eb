// kplay inventory --list/--host/--graph against the real ansible-inventory on the fixtures.
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inventoryCommand } from "../../../src/cli/inventory-command.js";
import { ansibleInventory, ansibleInventoryAll, EMPTY_DIR, type AnsibleInventoryCall } from "./ansible-oracle.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/inventory");
const at = (p: string): string => (p.includes(",") ? p : join(FIXTURES, p));

interface Case {
  name: string;
  sources: string[];
  playbookDir?: string;
  /** Hosts whose --host output is compared too (--list already holds every host's vars). */
  hosts: string[];
  /** A group to draw with `--graph GROUP` besides `all`. */
  graphGroup?: string;
  /** `-e` values (given to ansible-inventory as JSON). */
  extraVars?: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: "INI typed values, ranges and orphan vars", sources: ["ini-basics/hosts.ini"], hosts: ["top1"] },
  { name: "INI ranges, strides, letters, ports, IPv6", sources: ["ini-ranges/hosts"], hosts: ["p1"] },
  { name: "INI children of children, vars at every level", sources: ["ini-children/hosts"], hosts: ["cp1", "leaf"], graphGroup: "k8s_cluster" },
  {
    name: "extra vars win over every inventory variable",
    sources: ["vars-dirs/hosts"],
    playbookDir: "playbook",
    hosts: ["w1"],
    extraVars: { hv: "extra", p: { nested: [1, "two"] }, n: 3 },
  },
  { name: "YAML inventory with YAML 1.1 scalars", sources: ["yaml-basics/hosts.yml"], hosts: ["web1"] },
  { name: "directory source with group_vars and host_vars", sources: ["dir-source"], hosts: ["w1"] },
  { name: "several -i merged in order", sources: ["multi-i/a/hosts", "multi-i/b/inv.yaml"], hosts: ["h1"] },
  { name: "group_vars directories and files", sources: ["vars-dirs/hosts"], hosts: ["w2"] },
  { name: "playbook group_vars/host_vars above the inventory's", sources: ["vars-dirs/hosts"], playbookDir: "playbook", hosts: ["w1"] },
  { name: "INI quoting, comments, [all], [ungrouped], ports of known hosts, priorities", sources: ["ini-edge/hosts"], hosts: ["beta", "delta"] },
  { name: "YAML anchors, merge keys, string hosts, null groups", sources: ["yaml-edge/inv.yaml"], hosts: ["w2"] },
  { name: "JSON inventory", sources: ["json-inv/inv.json"], hosts: ["j1"] },
  { name: "nested directory source", sources: ["nested-dir"], hosts: ["s1"] },
  { name: "ansible_group_priority orders same-depth groups", sources: ["priority/hosts"], hosts: ["h1"] },
  { name: "INI text in a .yml file, empty and comment-only files", sources: ["odd-files"], hosts: ["w1"] },
  { name: "every fixture at once", sources: ["ini-children/hosts", "yaml-basics/hosts.yml", "dir-source", "vars-dirs/hosts", "ini-edge/hosts"], playbookDir: "playbook", hosts: ["w1"] },
  { name: "hosts in diamond-shaped group trees", sources: ["diamond-groups/hosts"], hosts: ["h1"] },
  { name: "children declared before their groups, several levels deep", sources: ["pending-children/hosts"], hosts: [] },
  { name: "a directory source given with a trailing slash", sources: ["pending-children/"], hosts: [] },
  { name: "YAML groups defined twice and as children", sources: ["yaml-repeated-groups/inv.yml"], hosts: ["a2"] },
  { name: "host_vars for range hosts, ports against ansible_port", sources: ["host-vars-ranges/hosts"], hosts: ["h1", "h2"] },
  { name: "CRLF line endings", sources: ["crlf/hosts"], hosts: [] },
  { name: "group names with dashes and dots", sources: ["dashed-group-names/inv.yaml"], hosts: ["w-1"] },
  { name: "the same source twice, explicit [ungrouped]", sources: ["explicit-ungrouped/hosts", "explicit-ungrouped/hosts"], hosts: [] },
  { name: "Python literals and odd strings in INI values", sources: ["python-literals/hosts"], hosts: ["h2"] },
  { name: "YAML 1.1 scalars as PyYAML reads them", sources: ["yaml-scalars/inv.yml"], hosts: [] },
  { name: "range forms: several ranges, strides, IPv4 ranges", sources: ["range-forms/hosts"], hosts: [] },
  { name: "localhost listed explicitly", sources: ["explicit-localhost/hosts"], hosts: ["localhost"] },
  { name: "comma-separated host list", sources: ["a.example.com,10.0.0.5:2222,[::1]:22,web[1:2],", "ini-basics/hosts.ini"], hosts: ["10.0.0.5"] },
];

const playbookDirOf = (c: Case): string => (c.playbookDir ? join(FIXTURES, c.playbookDir) : EMPTY_DIR);
const callsOf = (c: Case): AnsibleInventoryCall[] => {
  const base = { sources: c.sources.map(at), playbookDir: playbookDirOf(c) };
  const extra = c.extraVars ? ["-e", JSON.stringify(c.extraVars)] : [];
  return [
    { ...base, action: [...extra, "--list"] },
    { ...base, action: ["--graph", c.graphGroup ?? "all"] },
    ...c.hosts.map((h) => ({ ...base, action: [...extra, "--host", h] })),
  ];
};

describe("kplay inventory matches ansible-inventory", () => {
  const expected = new Map<Case, string[]>();
  beforeAll(async () => {
    const calls = CASES.map(callsOf);
    const outputs = await ansibleInventoryAll(calls.flat());
    let i = 0;
    for (const [n, c] of CASES.entries()) {
      expected.set(c, outputs.slice(i, i + calls[n].length));
      i += calls[n].length;
    }
  }, 300_000);

  it("runs ansible-inventory in one process exactly as the program itself does", async () => {
    const call = callsOf(CASES.find((c) => c.extraVars)!)[0];
    expect(await ansibleInventory(call)).toBe((await ansibleInventoryAll([call]))[0]);
  });

  for (const c of CASES) {
    const opts = () => ({ inventories: c.sources.map(at), playbookDir: playbookDirOf(c), extraVars: c.extraVars });
    it(`${c.name}: --list`, () => {
      expect(JSON.parse(inventoryCommand({ ...opts(), list: true }))).toEqual(JSON.parse(expected.get(c)![0]));
    });
    it(`${c.name}: --graph`, () => {
      expect(inventoryCommand({ ...opts(), graph: true, pattern: c.graphGroup })).toBe(expected.get(c)![1].trimEnd());
    });
    // Compared as data: Python prints the float 1000.0 where JavaScript has only the number 1000.
    it(`${c.name}: --host`, () => {
      c.hosts.forEach((host, i) => {
        expect(JSON.parse(inventoryCommand({ ...opts(), host })), host).toEqual(JSON.parse(expected.get(c)![2 + i]));
      });
    });
  }
});
