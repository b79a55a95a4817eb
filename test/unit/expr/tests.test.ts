import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { evaluate, testNames } from "../../../src/engine/expr/index.js";

const result = { changed: true, rc: 0 };
const failedResult = { failed: true, msg: "boom" };
const loopResult = { results: [{ changed: false }, { changed: true }] };

describe("is tests", () => {
  it.each([
    ["x is defined", true],
    ["y is defined", false],
    ["y is not defined", true],
    ["y is undefined", true],
    ["n is none", true],
    ["x is none", false],
    ["'a' is string", true],
    ["1 is string", false],
    ["1 is number", true],
    ["1 is integer", true],
    ["1.5 is float", true],
    ["true is boolean", true],
    ["{} is mapping", true],
    ["[] is mapping", false],
    ["[] is sequence", true],
    ["'s' is iterable", true],
    ["true is true", true],
    ["1 is true", false],
    ["false is false", true],
    ["'' is falsy", true],
    ["'a' is truthy", true],
    ["'foobar' is match('foo')", true],
    ["'foobar' is match('bar')", false],
    ["'foobar' is search('bar')", true],
    ["'FOO' is search('foo', ignorecase=true)", true],
    ["'foobar' is regex('o+b')", true],
    ["'foobar' is regex('bar', match_type='match')", false],
    ["'v1.28.2' is version('v1.28.0', '>=')", true],
    ["'1.10' is version('1.9', '>')", true],
    ["'1.2.3' is version_compare('1.2.3', '==')", true],
    ["'1.2.3' is version('1.3.0', 'lt', version_type='semver')", true],
    ["'2.0' is version('2.0', 'ne')", false],
    ["2 is in [1, 2]", true],
    ["[1, 2] is contains 2", true],
    ["1 is equalto 1", true],
    ["1 is eq 2", false],
    ["3 is gt 2", true],
    ["3 is divisibleby 3", true],
    ["4 is even", true],
    ["none is sameas none", true],
    ["[1] is subset([1, 2])", true],
    ["[1, 2] is superset([2])", true],
    ["[1, 3] is subset([1, 2])", false],
    ["r is succeeded", true],
    ["r is success", true],
    ["r is changed", true],
    ["f is failed", true],
    ["f is failure", true],
    ["f is succeeded", false],
    ["loop is changed", true],
    ["{'skipped': true} is skipped", true],
    ["r is skipped", false],
  ])("%s", (text, value) => {
    expect(evaluate(text, { x: 1, n: null, r: result, f: failedResult, loop: loopResult })).toBe(value);
  });

  it("using an undefined value in a test other than defined/undefined/type tests fails", () => {
    expect(() => evaluate("y is match('a')", {})).toThrow("'y' is undefined");
  });

  it("an unknown test suggests the closest", () => {
    try {
      evaluate("x is defind", { x: 1 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(KplayError);
      expect((e as KplayError).message).toBe("no test named 'defind'");
      expect((e as KplayError).context.hint).toBe("did you mean `defined`?");
    }
  });

  it("a bad version operator is an error", () => {
    expect(() => evaluate("'1' is version('2', '=>')", {})).toThrow("version: invalid operator '=>'");
  });

  it("lists every required test", () => {
    const required = [
      "defined", "undefined", "none", "string", "number", "integer", "float", "boolean", "mapping", "sequence",
      "iterable", "true", "false", "match", "search", "regex", "version", "version_compare", "in", "equalto", "eq",
      "sameas", "subset", "superset", "succeeded", "success", "failed", "failure", "changed", "skipped",
      "contains", "truthy", "falsy",
    ];
    expect(required.filter((t) => !testNames().includes(t))).toEqual([]);
  });
});
