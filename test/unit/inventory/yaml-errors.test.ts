// Malformed YAML inventories and vars files: positioned errors, never exceptions.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { tempTree } from "./temp-inventory.js";

function load(files: Record<string, string>, sources: string[]) {
  const dir = tempTree(files);
  return loadInventory(sources.map((s) => join(dir, s)));
}

describe("YAML inventory errors", () => {
  it("reports hosts written as a list, at the list", () => {
    const { errors } = load({ "inv.yml": "all:\n  children:\n    web:\n      hosts:\n        - w1\n        - w2\n" }, ["inv.yml"]);
    expect(errors).toHaveLength(1);
    expect(errors[0].context).toMatchObject({
      kind: "inventory",
      message: 'Invalid "hosts" entry for "web" group, requires a dictionary, found "list" instead.',
      position: { line: 5, column: 9 },
    });
    expect(errors[0].context.hint).toMatch(/mapping/);
  });

  it("reports YAML syntax errors with their position", () => {
    const { errors } = load({ "inv.yaml": "all:\n  hosts:\n    w1:\n   bad: [\n" }, ["inv.yaml"]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].context.message).toMatch(/^invalid YAML: /);
    expect(errors[0].context.position).toMatchObject({ line: 3, column: 8 });
  });

  it("refuses numeric host names and host vars that are not a mapping", () => {
    const { errors } = load({ "inv.yml": "web:\n  hosts:\n    1:22:\n    w1: [a]\n" }, ["inv.yml"]);
    expect(errors.map((e) => [e.context.message, e.context.position?.line])).toEqual([
      ["Host pattern 82 must be a string.", 3],
      ["Invalid data for host w1, expected a dictionary of variables", 4],
    ]);
  });

  it("reports a .yml inventory that is not a mapping of groups", () => {
    const { errors } = load({ "inv.yml": "- just\n- a list\n" }, ["inv.yml"]);
    expect(errors.map((e) => e.context.message)).toEqual(["YAML inventory must be a mapping of group names"]);
  });

  it("warns about unexpected keys and invalid group definitions, as Ansible does", () => {
    const { errors, warnings } = load({ "inv.yml": "web:\n  host:\n    w1:\nodd: 3\n" }, ["inv.yml"]);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'Skipping unexpected key (host) in group (web), only "vars", "children" and "hosts" are valid',
      "Skipping 'odd' as this is not a valid group definition",
    ]);
  });

  it("reports broken group_vars and host_vars files with their position", () => {
    const { errors } = load(
      {
        hosts: "[web]\nw1\n",
        "group_vars/web.yml": "a: 1\nb: [\n",
        "host_vars/w1.yml": "- not\n- a mapping\n",
      },
      ["hosts"],
    );
    expect(errors.map((e) => [e.context.position?.file.split("/").slice(-2).join("/"), e.context.message.split(":")[0]])).toEqual([
      ["group_vars/web.yml", "invalid YAML"],
      ["host_vars/w1.yml", "vars file must contain a mapping of variable names to values"],
    ]);
  });

  it("reports a source that does not exist", () => {
    const { errors } = loadInventory(["/nonexistent/inventory.ini"]);
    expect(errors[0].context.message).toBe("inventory source not found: /nonexistent/inventory.ini");
    expect(errors[0].context.hint).toMatch(/host list/);
  });
});
