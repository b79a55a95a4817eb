// resolvePattern against Ansible's own InventoryManager.get_hosts on the same fixtures.
import fc from "fast-check";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { resolvePattern } from "../../../src/engine/inventory/pattern.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/inventory");
const LIMIT_FILE = join(FIXTURES, "limits/some-hosts");

type Case = { pattern: string | string[]; limit?: string };
type Outcome = { hosts: string[]; warnings: string[] } | { error: string };

function ansibleResolve(sources: string[], cases: Case[]): Outcome[] {
  const stdout = execFileSync("/usr/bin/python3", [join(import.meta.dirname, "ansible_patterns.py")], {
    input: JSON.stringify({ sources, cases }),
    encoding: "utf8",
  });
  return JSON.parse(stdout) as Outcome[];
}

function kplayResolve(sources: string[], cases: Case[]): Outcome[] {
  const { inventory, errors } = loadInventory(sources);
  expect(errors).toEqual([]);
  return cases.map(({ pattern, limit }) => {
    const warnings: string[] = [];
    try {
      const hosts = resolvePattern(inventory, pattern, { limit, onWarning: (w) => warnings.push(w) });
      return { hosts, warnings };
    } catch (e) {
      if (!(e instanceof KplayError)) throw e;
      return { error: e.message };
    }
  });
}

// Ansible walks groups below the second level in the order of a Python set of objects
// (memory addresses), so for deeper trees only the members, not their order, can be compared.
const SUITES: { name: string; sources: string[]; cases: Case[]; anyOrder?: boolean }[] = [
  {
    name: "a Kubespray-like INI inventory",
    anyOrder: true,
    sources: ["ini-children/hosts"],
    cases: [
      ..."all|*|k8s_cluster|kube_node:kube_control_plane|kube_node,etcd|kube_node:&etcd|k8s_cluster:!kube_node|kube*|cp?|~cp\\d|~(node|cp)1|kube_node[0]|kube_node[-1]|kube_node[1:]|kube_node[0:1]|kube_node[0-1]|kube_node[1:9]|nomatch|nomatch:kube_node|!kube_node|&etcd|deep1|deep1:!deep3|leaf,mid|ungrouped|localhost|k8s_cluster:!cp1|cp1:&kube_node|cp[12]|cp[!1]|*node*|!kube_node:&etcd:kube_node:k8s_cluster|~.*|~^node|kube_node[5]|~[|calico_rr|calico_rr[0]|k8s_cluster:kube_node|all:!ungrouped|*:&deep*|deep?|top0|ungr*|al*|"
        .split("|")
        .map((pattern) => ({ pattern })),
      { pattern: ["kube_node", "etcd"] },
      { pattern: ["k8s_cluster", "!cp1"] },
      { pattern: "all", limit: "kube_node" },
      { pattern: "k8s_cluster", limit: "!cp1" },
      { pattern: "all", limit: `@${LIMIT_FILE}` },
      { pattern: "all", limit: `@${LIMIT_FILE},deep*` },
      { pattern: "kube_node", limit: "cp*:&etcd" },
      { pattern: "all", limit: "nomatch" },
    ],
  },
  {
    name: "ranges, IP addresses and ports",
    sources: ["ini-ranges/hosts"],
    cases: "web|web0*|10.0.0.*|10.0.0.2|fe80::1|::1|ipv6|web[0:2]|*.example.com|node-[ab]*|~node-[a-b]\\.|host00-b,host01-c|mixed[-2]|ports|p1|p1:22|web04:&mixed"
      .split("|")
      .map((pattern) => ({ pattern })),
  },
  {
    name: "hosts named like groups, [all] and [ungrouped] sections",
    sources: ["ini-edge/hosts", "yaml-edge/inv.yaml"],
    cases: "web|web:prio_high|tree|tree[3]|all|all[1:3]|all[2:1]|all[-2]|all[3:]|ungrouped|db|db:!web|quoted group|*group*|null_group|~q.*|all:&ungrouped"
      .split("|")
      .map((pattern) => ({ pattern })),
  },
];

// Generated patterns: atoms of every kind joined by every operator, with and without --limit.
const ATOMS = [
  "all", "*", "web", "tree", "db", "ungrouped", "prio_*", "*a*", "?eta", "w?", "~.*a$", "~(alpha|beta)", "delta",
  "epsilon", "web[0]", "web[-1]", "tree[1:2]", "all[2:]", "nomatch", "quoted group", "qh1", "localhost", "db[1]",
];
const pattern = fc
  .array(fc.tuple(fc.constantFrom(":", ":&", ":!", ",", ",!", ",&"), fc.constantFrom(...ATOMS)), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.map(([op, atom], i) => (i === 0 ? op.replace(/^[:,]/, "") : op) + atom).join(""));
const generatedCase = fc.record({ pattern, limit: fc.option(pattern, { nil: undefined }) });
SUITES.push({
  name: "generated patterns and limits",
  sources: ["ini-edge/hosts", "yaml-edge/inv.yaml"],
  cases: fc.sample(generatedCase, { numRuns: 300, seed: 99 }),
});

describe("resolvePattern matches Ansible's InventoryManager", () => {
  for (const suite of SUITES) {
    it(suite.name, () => {
      const sources = suite.sources.map((s) => join(FIXTURES, s));
      const order = (o: Outcome): Outcome => ("hosts" in o && suite.anyOrder ? { ...o, hosts: [...o.hosts].sort() } : o);
      const expected = ansibleResolve(sources, suite.cases).map(order);
      const actual = kplayResolve(sources, suite.cases).map(order);
      const label = (i: number): string => JSON.stringify(suite.cases[i]);
      expect(Object.fromEntries(actual.map((a, i) => [label(i), a]))).toEqual(
        Object.fromEntries(expected.map((e, i) => [label(i), e])),
      );
    });
  }
});
