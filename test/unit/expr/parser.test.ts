import { describe, expect, it } from "vitest";
import { KplayError, formatError } from "../../../src/engine/errors.js";
import { evaluate } from "../../../src/engine/expr/index.js";
import { errorOf } from "../error-of.js";

describe("literals", () => {
  it.each([
    ["'it''s'", "its"],
    ['"a\\tb"', "a\tb"],
    ["'\\d+'", "\\d+"],
    ["42", 42],
    ["1_000", 1000],
    ["1.5e3", 1500],
    ["true", true],
    ["False", false],
    ["none", null],
    ["None", null],
    ["[1, 'a', [2]]", [1, "a", [2]]],
    ["[1, 2,]", [1, 2]],
    ["(1, 2)", [1, 2]],
    ["()", []],
    ["{'a': 1, 'b': {'c': none}}", { a: 1, b: { c: null } }],
  ])("%s", (text, value) => {
    expect(evaluate(text, {})).toEqual(value);
  });
});

describe("precedence follows Jinja", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 ** 3 ** 2", 64],
    ["-2 ** 2", 4],
    ["not 1 == 2", true],
    ["not x in [1]", true],
    ["1 < 2 < 3", true],
    ["3 > 2 > 2", false],
    ["'a' ~ (1 + 2)", "a3"],
    ["- 3 | abs", 3],
    ["1 if false else 2 if false else 3", 3],
    ["true or false and false", true],
    ["[1, 2, 3] | length > 2", true],
  ])("%s", (text, value) => {
    expect(evaluate(text, { x: 3 })).toEqual(value);
  });

  it.each([
    // Filters bind tighter than arithmetic: 1 + (2 | string).
    ["1 + 2 | string", "unsupported operand types for +: 'int' and 'str'"],
    // `~` binds tighter than `+`: ('a' ~ 1) + 2.
    ["'a' ~ 1 + 2", "unsupported operand types for +: 'str' and 'int'"],
    // Unary minus applies before the filter: (-[1, -2]) | last.
    ["-[1, -2] | last", "bad operand type for unary -: 'list'"],
  ])("%s fails as in Jinja", (text, message) => {
    expect(errorOf(() => evaluate(text, {})).message).toContain(message);
  });
});

describe("syntax errors point at the column", () => {
  it.each([
    ["a +", "unexpected end of expression at column 4"],
    ["a b", "unexpected 'b' at column 3"],
    ["[1, 2", "expected ',' but found the end of the expression at column 6"],
    ["x | ", "expected a name but found the end of the expression at column 5"],
    ["'abc", "unterminated string at column 1"],
    ["a $ b", "unexpected character '$' at column 3"],
    ["x[1:2:3:4]", "too many ':' in slice"],
    ["f(a=1, 2)", "positional argument after keyword argument"],
    ["", "empty expression"],
  ])("%j", (text, message) => {
    const err = errorOf(() => evaluate(text, {}));
    expect(err.context.kind).toBe("expression");
    expect(err.message).toContain(message);
  });

  it("maps the column to the caller's file position and shows a caret", () => {
    const err = errorOf(() => evaluate("foo ==", {}, { position: { file: "roles/x/tasks/main.yml", line: 7, column: 13 } }));
    expect(err.context.position).toEqual({ file: "roles/x/tasks/main.yml", line: 7, column: 19 });
    expect(formatError(err.context)).toBe(
      'ERROR: roles/x/tasks/main.yml:7:19: unexpected end of expression at column 7 of "foo =="\n' +
        "  hint: foo ==\n" +
        "              ^",
    );
  });

  it("refuses nesting deeper than the limit instead of overflowing the stack", () => {
    expect(errorOf(() => evaluate("(".repeat(5000) + "1" + ")".repeat(5000), {})).message).toContain("nested deeper");
    expect(errorOf(() => evaluate("not ".repeat(5000) + "x", {})).message).toContain("nested deeper");
    expect(errorOf(() => evaluate("x" + ".a".repeat(5000), {})).message).toContain("too deeply nested");
    expect(errorOf(() => evaluate("1" + " + 1".repeat(5000), {})).message).toContain("too deeply nested");
  });
});
