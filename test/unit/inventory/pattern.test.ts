// Host pattern behaviour the engine relies on beyond Ansible parity: errors and warnings.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { resolvePattern, splitHostPattern } from "../../../src/engine/inventory/pattern.js";
import { tempTree } from "./temp-inventory.js";

const dir = tempTree({ hosts: "[web]\nw[1:4]\n[db]\nd1\nw1\n", "limit.txt": "w2\nd1\n" });
const { inventory } = loadInventory([join(dir, "hosts")]);

function thrown(f: () => unknown): KplayError {
  try {
    f();
  } catch (e) {
    if (e instanceof KplayError) return e;
    throw e;
  }
  throw new Error("expected a KplayError");
}

describe("resolvePattern", () => {
  it("applies unions, then intersections, then exclusions whatever the written order", () => {
    expect(resolvePattern(inventory, "!w3:&web:all")).toEqual(["w1", "w2", "w4"]);
  });

  it("returns nothing and warns once for a pattern that matches nothing", () => {
    const warnings: string[] = [];
    expect(resolvePattern(inventory, "nope:nope", { onWarning: (w) => warnings.push(w) })).toEqual([]);
    expect(warnings).toEqual(["Could not match supplied host pattern, ignoring: nope"]);
  });

  it("intersects with --limit, including an @file of names relative to cwd", () => {
    expect(resolvePattern(inventory, "all", { limit: "web[1:2]" })).toEqual(["w2", "w3"]);
    expect(resolvePattern(inventory, "all", { limit: "@limit.txt", cwd: dir })).toEqual(["w2", "d1"]);
  });

  it("reports a bad regular expression", () => {
    const e = thrown(() => resolvePattern(inventory, "~web("));
    expect(e.context.kind).toBe("inventory");
    expect(e.message).toBe("Invalid host list pattern: ~web(");
    expect(e.context.hint).toMatch(/regular expression/);
  });

  it("reports malformed and out-of-range subscripts", () => {
    expect(thrown(() => resolvePattern(inventory, "web[1:2:3]")).message).toBe("Invalid subscript in host pattern 'web[1:2:3]'");
    const e = thrown(() => resolvePattern(inventory, "web[7]"));
    expect(e.message).toBe("No hosts matched the subscripted pattern 'web[7]'");
    expect(e.context.hint).toBe("the pattern selects 4 host(s), indexed from 0");
  });

  it("reports a missing limit file", () => {
    expect(thrown(() => resolvePattern(inventory, "all", { limit: "@/nonexistent/limit" })).message).toBe(
      "Unable to find limit file /nonexistent/limit",
    );
  });

  it("splits patterns as Ansible does", () => {
    expect(splitHostPattern("a, b[1:2] ,c")).toEqual(["a", "b[1:2]", "c"]);
    expect(splitHostPattern("a:&b:!c")).toEqual(["a", "&b", "!c"]);
    expect(splitHostPattern("fe80::1")).toEqual(["fe80::1"]);
    expect(splitHostPattern("web[1:3]")).toEqual(["web[1:3]"]);
  });
});
