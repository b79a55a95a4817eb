// Property: whatever text arrives, evaluation ends in a value or a KplayError, never another
// exception (a crash inside the engine) and never a hang.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { evaluate, evaluateCondition, renderString } from "../../../src/engine/expr/index.js";

const vars = { a: 1, s: "text", l: [1, "x", null], d: { k: [1, 2], n: { m: true } }, none: null, cidr: "10.0.0.0/24" };

const TOKENS = [
  "a", "s", "l", "d", "none", "cidr", "missing", "1", "-2", "3.5", "'x'", '"y"', "true", "None", "range", "lookup",
  "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "+", "-", "*", "/", "//", "%", "**", "~", "==", "!=", "<", ">=",
  " and ", " or ", " not ", " in ", " is ", " if ", " else ", "default", "length", "join", "map", "select",
  "ipaddr", "int", "string", "defined", "match", "version", "combine", "split", "keys", "items", "constructor",
  "__proto__", "k", "n", "m", "0", "=", "{{", "}}", "{#", "#}",
  "{% if ", "{% for x in ", "{% for a, b in ", "{% endfor %}", "{% endif %}", "{% else %}", "{% elif ", "{% set y = ",
  " %}", "-%}", "{%-", "loop.index", "x", "y", "{% raw %}", "{% endraw %}",
];

const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 25 }).map((t) => t.join(""));

function outcome(run: () => unknown): "value" | "error" {
  try {
    run();
    return "value";
  } catch (e) {
    if (!(e instanceof KplayError)) throw e;
    // The catch-all wrapper for unexpected JS errors means an engine bug, not a user error.
    if (e.message.startsWith("cannot evaluate")) throw new Error(`internal error surfaced: ${e.message}`);
    return "error";
  }
}

describe("hostile input", () => {
  it("random strings end in a value or a KplayError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(["value", "error"]).toContain(outcome(() => evaluate(text, vars)));
        expect(["value", "error"]).toContain(outcome(() => renderString(text, vars)));
      }),
      { numRuns: 800 },
    );
  });

  it("random token sequences end in a value or a KplayError", () => {
    fc.assert(
      fc.property(tokenSoup, (text) => {
        expect(["value", "error"]).toContain(outcome(() => evaluate(text, vars)));
        expect(["value", "error"]).toContain(outcome(() => renderString(`x {{ ${text} }} y`, vars)));
        expect(["value", "error"]).toContain(outcome(() => evaluateCondition(text, vars)));
        expect(["value", "error"]).toContain(outcome(() => renderString(text, vars)));
      }),
      { numRuns: 1200 },
    );
  });

  it("the token soup does reach real values, not only errors", () => {
    const results = fc.sample(tokenSoup, { numRuns: 3000, seed: 42 }).map((t) => outcome(() => evaluate(t, vars)));
    expect(results.filter((r) => r === "value").length).toBeGreaterThan(30);
  });
});
