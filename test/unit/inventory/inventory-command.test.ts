// `kplay inventory` option handling and errors (its output is compared with ansible-inventory elsewhere).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inventoryCommand, type InventoryCommandOptions } from "../../../src/cli/inventory-command.js";
import { KplayError } from "../../../src/engine/errors.js";
import { tempTree } from "./temp-inventory.js";

const dir = tempTree({ hosts: "[web]\nw1 a=1\nw2\n[9bad-name]\nx1\n", "broken.ini": "[web:chidren]\n[db]\nd1 oops\n" });
const hosts = join(dir, "hosts");

function errorsOf(opts: InventoryCommandOptions): KplayError[] {
  try {
    inventoryCommand(opts);
  } catch (e) {
    if (e instanceof AggregateError && e.errors.every((x) => x instanceof KplayError)) return e.errors as KplayError[];
    throw e;
  }
  throw new Error("expected inventoryCommand to fail");
}

describe("inventoryCommand", () => {
  it("asks for exactly one action", () => {
    expect(errorsOf({ inventories: [hosts] })[0].context).toMatchObject({ kind: "usage", message: expect.stringMatching(/^No action selected/) });
    expect(errorsOf({ inventories: [hosts], list: true, graph: true })[0].message).toMatch(/^Conflicting options used/);
  });

  it("reports every inventory error at once", () => {
    const errors = errorsOf({ inventories: [join(dir, "broken.ini")], list: true });
    expect(errors.map((e) => e.context.position?.line)).toEqual([1, 3]);
  });

  it("needs --host to name exactly one host, and --graph a group", () => {
    expect(errorsOf({ inventories: [hosts], host: "w*" })[0].message).toBe("You must pass a single valid host to --host parameter");
    expect(errorsOf({ inventories: [hosts], graph: true, pattern: "w1" })[0].message).toBe(
      "Pattern must be valid group name when using --graph",
    );
  });

  it("accepts a pattern for --host that selects one host, and lets extra vars win", () => {
    expect(JSON.parse(inventoryCommand({ inventories: [hosts], host: "w*:!w2", extraVars: { a: "extra" } }))).toEqual({ a: "extra" });
  });

  it("passes warnings on instead of printing them", () => {
    const warnings: string[] = [];
    inventoryCommand({ inventories: [hosts], graph: true, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual(["Invalid characters were found in group names but not replaced"]);
  });
});
