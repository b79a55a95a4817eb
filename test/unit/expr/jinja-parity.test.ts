// Differential test against the real Jinja2 (python3-jinja2, which ansible-core depends on):
// the same expressions, the same variables, the same results — or an error on both sides.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { evaluate } from "../../../src/engine/expr/index.js";

const vars = {
  n: 7,
  f: 2.5,
  s: "Hello World",
  l: [3, 1, 2],
  words: ["b", "A", "c"],
  d: { b: 2, a: 1 },
  users: [{ name: "x", uid: 2 }, { name: "y", uid: 1 }],
  none: null,
  t: true,
};

const EXPRESSIONS = [
  "n + 1", "n - f", "n * f", "n / 2", "n // 2", "-n // 2", "n % 3", "-n % 3", "2 ** 10", "n ** 0.5 > 2",
  "'ab' * 3", "[1] * 3", "s ~ n", "s + '!'", "l + [4]", "n > 5 and s", "0 or l", "not l", "not none",
  "1 < n < 10", "n == 7.0", "t == 1", "[1, [2]] == [1, [2]]", "'a' < 'b'", "[1, 2] < [1, 3]", "'W' in s",
  "3 in l", "'a' in d", "'z' not in d", "s[0]", "s[-1]", "s[1:4]", "s[::-1]", "l[-2:]", "l[::2]", "l[5:]",
  "d.a", "d['b']", "users[0].name", "users[-1]['uid']", "n if t else 0", "n if none else 0",
  "s.lower()", "s.upper()", "s.split()", "s.split('o')", "s.split('o', 1)", "s.replace('l', 'L')",
  "s.startswith('He')", "s.endswith(('x', 'ld'))", "'  x '.strip()", "'xxhixx'.strip('x')", "'-'.join(words)",
  "d.get('a')", "d.get('z', 9)", "d.keys() | list", "d.values() | list", "d.items() | list",
  "l | sort", "words | sort", "words | sort(case_sensitive=true)", "l | sort(reverse=true)", "l | reverse | list",
  "l | first", "l | last", "l | min", "l | max", "l | sum", "l | length", "s | length", "d | length",
  "l | join(',')", "users | map(attribute='name') | list", "users | sort(attribute='uid') | map(attribute='name') | list",
  "l | select('odd') | list", "l | reject('odd') | list", "users | selectattr('uid', 'gt', 1) | list",
  "users | rejectattr('uid', 'equalto', 1) | map(attribute='name') | list", "l | map('string') | list",
  "[1, 2, 2, 3] | unique | list", "d | dictsort", "d | dictsort(by='value')", "s | lower", "s | upper",
  "s | title", "'hELLO' | capitalize", "'  a ' | trim", "s | replace('o', '0')", "s | replace('o', '0', 1)",
  "'3' | int + 1", "'3.9' | int", "'x' | int", "'x' | int(5)", "'2.5' | float", "f | round", "3.5 | round",
  "2.567 | round(2)", "2.5 | round(0, 'floor')", "-3 | abs", "n | string", "l | string", "d | string",
  "none | string", "t | string", "missing | default('d')", "none | default('d')", "'' | default('d', true)",
  "range(5) | list", "range(2, 10, 3) | list", "range(5, 0, -1) | list", "dict(a=1, b=2)", "[1, [2, 3]] | sum(start=[]) if false else 0",
  "n is odd", "n is even", "n is divisibleby 7", "s is string", "n is number", "l is sequence", "d is mapping",
  "none is none", "missing is defined", "missing is undefined", "n is defined", "t is sameas true",
  "n is eq 7", "n is ne 7", "n is lt 8", "n is ge 7", "n is in [7]", "s is lower", "'abc' is lower",
  "'%s=%d' % ('a', 3)", "'%05.2f' % f", "'%-4s|' % 'ab'", "'%x' % 255", "'%(k)s' % {'k': 'v'}",
  "1 / 0", "'a' + 1", "l < 1", "missing + 1", "none.x", "s.nope()", "3 in 'abc'", "l[1.5]",
];

function runJinja(): Array<{ ok: boolean; value?: unknown }> {
  const script = `
import json, sys, jinja2
env = jinja2.Environment(undefined=jinja2.StrictUndefined)
data = json.loads(sys.stdin.read())
out = []
for e in data["exprs"]:
    try:
        v = env.compile_expression(e, undefined_to_none=False)(**data["vars"])
        out.append({"ok": True, "value": json.loads(json.dumps(v, default=list))})
    except Exception as ex:
        out.append({"ok": False, "error": str(ex)})
print(json.dumps(out))
`;
  const stdout = execFileSync("python3", ["-c", script], { input: JSON.stringify({ exprs: EXPRESSIONS, vars }) });
  return JSON.parse(stdout.toString());
}

function ours(expr: string): { ok: boolean; value?: unknown } {
  try {
    return { ok: true, value: JSON.parse(JSON.stringify(evaluate(expr, vars))) };
  } catch (e) {
    if (!(e instanceof KplayError)) throw e;
    return { ok: false };
  }
}

describe("parity with Jinja2", () => {
  const expected = runJinja();

  it("Jinja2 answered every expression, with both values and errors", () => {
    expect(expected).toHaveLength(EXPRESSIONS.length);
    expect(expected.filter((r) => !r.ok).length).toBe(8);
  });

  it.each(EXPRESSIONS.map((e, i) => [e, i] as const))("%s", (expr, i) => {
    const theirs = expected[i];
    const mine = ours(expr);
    expect(mine.ok).toBe(theirs.ok);
    if (theirs.ok) expect(mine.value).toEqual(theirs.value);
  });
});
