// Generated inventories, read by kplay and by ansible-inventory: both must agree on every one,
// or both must refuse it. Covers combinations no hand-written fixture thinks of.
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inventoryCommand } from "../../../src/cli/inventory-command.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { ansibleInventoryRuns, type AnsibleInventoryRun } from "./ansible-oracle.js";
import { tempTree } from "./temp-inventory.js";

const GROUPS = ["web", "db", "k8s", "etcd", "all", "ungrouped", "g-1", "h1"];
const HOSTS = ["h1", "h2", "node1", "web", "10.0.0.1", "h[1:3]", "n[01:05:2]", "x[a:c]", "h1:2222", "db-[a:b]:22", "[::1]:2022"];
const KEYS = ["a", "b", "ansible_port", "x"];
const INI_VALUES = ["1", "1.5", "True", "true", "'x'", '"a b"', "[1,2]", "{'a':1}", "yes", "0x10", "-3", "007", "''", '"{{ v }}"', "1,2", "None", "a=b", "3"];
const YAML_VALUES = ["1", "yes", "No", "0644", "1:30", "1e3", "1.5e+3", "~", "''", "2024-01-02", "[1, 2]", "{a: 1}", "'quoted'", '"dq"', "on", "y", "0x1F", ".5", "2"];

// ansible_group_priority must be an integer (Ansible refuses the inventory otherwise): mostly is.
const pair = (values: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...values)) },
    { weight: 1, arbitrary: fc.tuple(fc.constant("ansible_group_priority"), fc.constantFrom("3", "1", "12")) },
  );

const hostLine = fc
  .tuple(fc.constantFrom(...HOSTS.filter((h) => !h.startsWith("["))), fc.array(pair(INI_VALUES), { maxLength: 3 }))
  .map(([host, vars]) => [host, ...vars.map(([k, v]) => `${k}=${v}`)].join(" "));
const iniSection = fc.oneof(
  fc.tuple(fc.constantFrom(...GROUPS), fc.array(hostLine, { maxLength: 3 })).map(([g, lines]) => [`[${g}]`, ...lines]),
  fc
    .tuple(fc.constantFrom(...GROUPS), fc.array(fc.constantFrom(...GROUPS.filter((g) => g !== "all")), { maxLength: 3 }))
    .map(([g, kids]) => [`[${g}:children]`, ...kids.filter((k) => k !== g)]),
  fc.tuple(fc.constantFrom(...GROUPS), fc.array(pair(INI_VALUES), { maxLength: 3 })).map(([g, vars]) => [`[${g}:vars]`, ...vars.map(([k, v]) => `${k} = ${v}`)]),
);
// Groups declared at the end (usually most of them) settle earlier `:children` and `:vars` references.
const iniInventory = fc
  .tuple(fc.array(hostLine, { maxLength: 2 }), fc.array(iniSection, { maxLength: 7 }), fc.subarray(GROUPS))
  .map(([top, sections, declared]) => [...top, ...sections.flat(), ...declared.map((g) => `[${g}]`)].join("\n") + "\n");

/** The body of YAML group `name`: hosts with vars, vars, children (other than itself or `all`). */
const yamlGroup = (name: string, depth: number): fc.Arbitrary<string[]> =>
  fc
    .record({
      hosts: fc.array(fc.tuple(fc.constantFrom(...HOSTS.filter((h) => !h.includes("::"))), fc.array(pair(YAML_VALUES), { maxLength: 2 })), { maxLength: 3 }),
      vars: fc.array(pair(YAML_VALUES), { maxLength: 3 }),
      children:
        depth > 0
          ? fc.array(
              fc.constantFrom(...GROUPS.filter((g) => g !== name && g !== "all")).chain((g) => yamlGroup(g, depth - 1).map((body) => [g, body] as const)),
              { maxLength: 2 },
            )
          : fc.constant<(readonly [string, string[]])[]>([]),
    })
    .map(({ hosts, vars, children }) => [
      ...(hosts.length ? ["hosts:", ...hosts.flatMap(([h, hv]) => [`  "${h}":`, ...hv.map(([k, v]) => `    ${k}: ${v}`)])] : []),
      ...(vars.length ? ["vars:", ...vars.map(([k, v]) => `  ${k}: ${v}`)] : []),
      ...(children.length ? ["children:", ...children.flatMap(([g, body]) => [`  ${g}:`, ...body.map((l) => `    ${l}`)])] : []),
    ]);
const yamlInventory = fc
  .array(fc.constantFrom(...GROUPS).chain((g) => yamlGroup(g, 2).map((body) => [g, body] as const)), { minLength: 1, maxLength: 3 })
  .map((groups) => groups.flatMap(([g, body]) => [`${g}:`, ...body.map((l) => `  ${l}`)]).join("\n") + "\n");

// Every generated inventory sits beside the same group_vars/ and host_vars/, and is read with a
// playbook directory that has its own: the same keys at every level show who wins.
const dir = tempTree({
  "group_vars/all.yml": "a: gv_all\nb: gv_all\nonly_all: 1\n",
  "group_vars/web.yml": "a: gv_web\nx: gv_web\n",
  "group_vars/k8s/10-first.yml": "a: gv_k8s_first\nb: gv_k8s_first\n",
  "group_vars/k8s/20-second.yaml": "b: gv_k8s_second\n",
  "group_vars/ungrouped": "x: gv_ungrouped\n",
  "group_vars/g-1.json": '{"a": "gv_g-1", "ansible_group_priority": 7}\n',
  "host_vars/h1.yml": "a: hv_h1\n",
  "host_vars/node1/main.yml": "b: hv_node1\n",
  "host_vars/10.0.0.1": "x: hv_ip\n",
});
const playbookDir = tempTree({
  "group_vars/db.yml": "a: pb_db\nb: pb_db\n",
  "group_vars/all/main.yml": "x: pb_all\n",
  "host_vars/h2.yml": "a: pb_h2\n",
  "host_vars/h1.yml": "x: pb_h1\n",
});
const FILES = [
  ...fc.sample(iniInventory, { numRuns: 120, seed: 2024 }).map((text, i) => ({ name: `gen-${i}.ini`, text })),
  ...fc.sample(yamlInventory, { numRuns: 80, seed: 2025 }).map((text, i) => ({ name: `gen-${i}.yml`, text })),
];
for (const f of FILES) writeFileSync(join(dir, f.name), f.text);

describe("generated inventories read the same by kplay and ansible-inventory", () => {
  let runs: AnsibleInventoryRun[] = [];
  beforeAll(async () => {
    runs = await ansibleInventoryRuns(FILES.map((f) => ({ sources: [join(dir, f.name)], action: ["--list"], playbookDir })));
  }, 300_000);

  it("agrees on every generated inventory, or both refuse it", () => {
    const disagreements: string[] = [];
    let refused = 0;
    FILES.forEach((f, i) => {
      const source = join(dir, f.name);
      const ansible = runs[i];
      const ansibleRefused = ansible.rc !== 0 || ansible.stderr.includes("Unable to parse");
      if (loadInventory([source], { playbookDir }).errors.length > 0) {
        refused += 1;
        if (!ansibleRefused) disagreements.push(`${f.name}: kplay refused what Ansible read\n${f.text}`);
        return;
      }
      const mine = JSON.parse(inventoryCommand({ inventories: [source], list: true, playbookDir }));
      if (ansibleRefused) disagreements.push(`${f.name}: Ansible refused what kplay read\n${f.text}\n${ansible.stderr}`);
      else {
        try {
          expect(mine).toEqual(JSON.parse(ansible.stdout));
        } catch (e) {
          disagreements.push(`${f.name}:\n${f.text}\nkplay: ${JSON.stringify(mine)}\nansible: ${JSON.stringify(JSON.parse(ansible.stdout))}`);
        }
      }
    });
    expect(disagreements).toEqual([]);
    // The generators must exercise both outcomes, or the comparison proves little.
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThan(FILES.length / 2);
  });
});
