// Malformed INI inventories: every problem reported with file:line:column and a fix hint.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatError, type ErrorContext } from "../../../src/engine/errors.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { tempTree } from "./temp-inventory.js";

function errorsOf(ini: string): ErrorContext[] {
  const dir = tempTree({ "hosts.ini": ini });
  const { errors } = loadInventory([join(dir, "hosts.ini")]);
  return errors.map((e) => ({ ...e.context, position: e.context.position && { ...e.context.position, file: "hosts.ini" } }));
}

describe("INI inventory errors", () => {
  it("suggests the section type meant by a typo", () => {
    const [e] = errorsOf("[web]\nw1\n[web:chidren]\ndb\n");
    expect(e).toMatchObject({
      kind: "inventory",
      message: "Section [web:chidren] has unknown type: chidren",
      hint: "did you mean `children`?",
      position: { file: "hosts.ini", line: 3, column: 1 },
    });
  });

  it("points at the token that is not key=value", () => {
    const [e] = errorsOf("[web]\n  w1 ansible_port=22 oops\n");
    expect(e.message).toBe("Expected key=value host variable assignment, got: oops");
    expect(e.position).toEqual({ file: "hosts.ini", line: 2, column: 22 });
    expect(e.hint).toMatch(/name=value/);
  });

  it("reports an unterminated range", () => {
    const [e] = errorsOf("[web]\nweb[01:05 x=1\n");
    expect(e.message).toMatch(/unterminated or malformed host range in "web\[01:05"/);
    expect(e.position?.line).toBe(2);
    expect(e.hint).toMatch(/name\[begin:end\]/);
  });

  it("reports range bounds of different widths with a padded suggestion", () => {
    const [e] = errorsOf("node[01:5]\n");
    expect(e.message).toMatch(/equal-length begin and end/);
    expect(e.hint).toBe("pad both ends to the same width, e.g. [01:05]");
  });

  it("refuses a descending letter range and a zero step", () => {
    expect(errorsOf("db[f:a]\nn[1:3:0]\n").map((e) => [e.position?.line, e.message])).toEqual([
      [1, 'host range must have begin <= end in "db[f:a]"'],
      [2, 'host range step must not be zero in "n[1:3:0]"'],
    ]);
  });

  it("reports section headers with spaces", () => {
    const [e] = errorsOf("[web servers]\nw1\n");
    expect(e.message).toBe("Invalid section entry: '[web servers]'");
    expect(e.hint).toMatch(/no spaces/);
  });

  it("reports an unclosed quote", () => {
    const [e] = errorsOf(`w1 motd="hello\n`);
    expect(e.message).toBe(`Error parsing host definition 'w1 motd="hello': No closing quotation`);
  });

  it("reports children and vars of groups never declared, at the line that named them", () => {
    const errors = errorsOf("[k8s:children]\nmasters\nnodes\n[nodes]\nn1\n[ghost:vars]\nx=1\n");
    expect(errors.map((e) => [e.position?.line, e.message])).toEqual([
      [2, "Section [k8s:children] includes undefined group: masters"],
      [6, "Section [ghost:vars] not valid for undefined group: ghost"],
    ]);
    expect(errors[0].hint).toBe("declare the group with a [masters] section (it may be empty)");
  });

  it("reports a vars line without =", () => {
    const [e] = errorsOf("[web:vars]\njust_a_word\n[web]\n");
    expect(e).toMatchObject({ message: "Expected key=value, got: just_a_word", position: { line: 2 } });
  });

  it("reports YAML given as INI, and a host ending in ':'", () => {
    expect(errorsOf("---\nall:\n").map((e) => e.message)).toEqual([
      "Invalid host pattern '---' supplied, '---' is normally a sign this is a YAML file.",
      "Invalid host pattern 'all:' supplied, ending in ':' is not allowed, this character is reserved to provide a port.",
    ]);
  });

  it("refuses group cycles", () => {
    const [e] = errorsOf("[a:children]\nb\n[b:children]\na\n");
    expect(e.message).toBe("Adding group 'a' as child to 'b' creates a recursive dependency loop.");
    expect(e.position?.line).toBe(4);
  });

  it("collects every error of a file instead of stopping at the first", () => {
    const errors = errorsOf("[web:chidren]\nx\n[db]\nd1 bad\n[web servers]\nw[1:\n");
    expect(errors.map((e) => e.position?.line)).toEqual([1, 4, 5]);
  });

  it("formats as file:line:column with the hint on its own line", () => {
    const [e] = errorsOf("[web:chidren]\n");
    expect(formatError(e)).toBe(
      "ERROR: hosts.ini:1:1: Section [web:chidren] has unknown type: chidren\n  hint: did you mean `children`?",
    );
  });
});
