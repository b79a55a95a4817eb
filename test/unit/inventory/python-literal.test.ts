import { describe, expect, it } from "vitest";
import { iniValue, parsePythonLiteral } from "../../../src/engine/inventory/python-literal.js";
import { pythonMap } from "./python-oracle.js";

// Values Ansible sees on INI host lines and in [g:vars]: typed by ast.literal_eval, else kept as text.
const SAMPLES = [
  "1", "1.5", "True", "true", "False", "None", "yes", "[1,2]", "'x'", '"x"', "{'k': 1}", "{k:1}", "0x10", "0o17",
  "0b101", "007", "-3", "+4", "--1", "1e3", "1E-2", ".5", "1.", "1_000", "1__0", "(1,2)", "1,2", "a,b", "1,", "(1)",
  "()", "[]", "{}", "'a' 'b'", "b'x'", "r'\\n'", "'\\x41\\u0042\\101'", "'a\\qb'", "1 # c", "abc # c", "'unterminated",
  "1+2", "-True", "set()", " 1", "\t[1]", "{True: 1, None: 2, 3: 4}", "0", "00", "0.0", "[1, [2, (3,)], {'a': [None]}]",
  "'''tri'ple'''", '"it\'s"', "x=1", "a b", "", "...", "1 2", "[1,", "{'a':1,}", "[1,2,]", "'é'", "u'x'", "f'x'",
  "{'a': 1, 'a': 2}", "1.5e+3", "'a\\\\b'", "10.0.0.1", "/usr/bin/python3", "{{ x }}", "[a]", "0777", "1:2",
];


describe("parsePythonLiteral matches Python's ast.literal_eval", () => {
  it("types every sample as Python does, else keeps the text", () => {
    const expected = pythonMap(
      "plain(ast.literal_eval(x))",
      SAMPLES,
    );
    const actual = SAMPLES.map((s) => {
      const r = parsePythonLiteral(s);
      return r.ok ? { value: r.value } : { error: true };
    });
    const normalized = expected.map((e) => ("error" in e ? { error: true } : e));
    expect(Object.fromEntries(SAMPLES.map((s, i) => [s, actual[i]]))).toEqual(
      Object.fromEntries(SAMPLES.map((s, i) => [s, normalized[i]])),
    );
  });

  it("keeps text that is not a literal unchanged", () => {
    expect(iniValue("yes")).toBe("yes");
    expect(iniValue("{{ x }}/conf")).toBe("{{ x }}/conf");
    expect(iniValue("42")).toBe(42);
  });
});
