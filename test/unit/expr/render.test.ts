import { describe, expect, it } from "vitest";
import {
  OMIT, checkExpression, checkTemplated, evaluateCondition, isOmit, isTemplated, renderString, renderValue,
} from "../../../src/engine/expr/index.js";
import { errorOf } from "../error-of.js";

const vars = { a: "x", b: "conf", n: 5, list: ["s1", "s2"], d: { k: "v" }, none: null, t: true, s_false: "false" };

describe("renderString", () => {
  it.each([
    ["plain text", "plain text"],
    ["{{ a }}/conf {{ b | upper }}", "x/conf CONF"],
    ["{{ n }}", 5],
    ["{{ list }}", ["s1", "s2"]],
    ["{{ d }}", { k: "v" }],
    ["{{ t }}", true],
    ["n={{ n }}", "n=5"],
    ["{{ list }} and {{ d }}", "['s1', 's2'] and {'k': 'v'}"],
    ["[{{ none }}] {{ [none] }}", "[] [None]"],
    ["{{ t }}/{{ none is none }}", "True/True"],
    ["a{# comment #}b", "ab"],
    ["{{ '}}' }}", "}}"],
    ["{{ {'k': {'j': 1}} }}", { k: { j: 1 } }],
    ["x  {{- a -}}  y", "xxy"],
    ["x {#- c -#} y", "xy"],
    [" {{ n }}", " 5"],
  ])("%j", (text, value) => {
    expect(renderString(text, vars)).toEqual(value);
  });

  it("keeps OMIT as a whole value and refuses it inside text", () => {
    expect(isOmit(renderString("{{ missing | default(omit) }}", {}))).toBe(true);
    expect(errorOf(() => renderString("x{{ omit }}", {})).message).toBe("`omit` cannot be written into a string");
  });

  it("names the undefined variable and points at the expression", () => {
    const position = { file: "roles/k/defaults/main.yml", line: 3, column: 18 };
    const err = errorOf(() => renderString("{{ kube_base_dir }}/{{ kube_version }}", {}, { position }));
    expect(err.context.kind).toBe("variable");
    expect(err.message).toBe("'kube_base_dir' is undefined");
    expect(err.context.position).toEqual(position);
    const second = errorOf(() => renderString("{{ 1 }}/{{ kube_version }}", {}, { position }));
    expect(second.context.position).toEqual({ ...position, column: 26 });
  });

  it("reports syntax errors with the column and line inside multi-line text", () => {
    const err = errorOf(() => renderString("line one\n  {{ a | }}", vars, { position: { file: "f.yml", line: 10, column: 5 } }));
    expect(err.context.kind).toBe("expression");
    expect(err.message).toBe("expected a name but found the end of the expression at line 2, column 10");
    expect(err.context.position).toEqual({ file: "f.yml", line: 11, column: 10 });
    expect(err.context.hint).toBe("  {{ a | }}\n" + " ".repeat(8 + 9) + "^");
  });

  it("reports unclosed markup", () => {
    expect(errorOf(() => renderString("{{ a ", vars)).message).toContain("'{{' is never closed");
    expect(errorOf(() => renderString("{# a ", vars)).message).toContain("never closed with '#}'");
    expect(errorOf(() => renderString("{% if a ", vars)).message).toContain("'{%' is never closed with '%}'");
  });
});

// Expected values come from Jinja2 with trim_blocks (Ansible's setting), plus Ansible's own
// rules: a trailing newline is kept and list/dict/boolean-looking output is converted.
describe("statements", () => {
  const data = {
    groups: { etcd: ["n1", "n2", "n3"] },
    hostvars: { n1: { ip: "10.0.0.1" }, n2: { ip: "10.0.0.2" }, n3: { ip: "10.0.0.3" } },
    lb: { port: 8443 },
    d: { b: 2, a: 1 },
    empty: [],
  };

  it.each([
    ["{% if lb is defined -%}\n    https://lb:{{ lb.port }}\n{%- else -%}\n    https://local\n{%- endif %}", "https://lb:8443"],
    ["{% if nope is defined %}a{% elif lb.port > 8000 %}b{% else %}c{% endif %}", "b"],
    [
      "{% for h in groups['etcd'] -%}\nhttps://{{ hostvars[h].ip }}:2379{% if not loop.last %},{% endif %}\n{%- endfor %}",
      "https://10.0.0.1:2379,https://10.0.0.2:2379,https://10.0.0.3:2379",
    ],
    ["{% for h in groups['etcd'] %}\n{{ loop.index }}/{{ loop.length }} {{ h }}\n{% endfor %}", "1/3 n1\n2/3 n2\n3/3 n3\n"],
    ["{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "b=2;a=1;"],
    ["{% for h in groups.etcd if h != 'n2' %}{{ h }}{{ loop.index }} {% endfor %}", "n11 n32 "],
    ["{% for x in empty %}x{% else %}none{% endfor %}", "none"],
    ["{% set x = 5 %}{{ x * 2 }}{% for i in [1] %}{% set x = 7 %}{{ x }}{% endfor %}{{ x }}", "1075"],
    ["{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}"],
    ["  {%- if true %}\n  yes\n  {%- endif %}\n", "  yes\n"],
    ["[{% for h in groups.etcd %}'{{ h }}'{% if not loop.last %}, {% endif %}{% endfor %}]", ["n1", "n2", "n3"]],
    ["{% if true %}True{% else %}False{% endif %}", true],
    ["{# c #}\nx", "x"],
    ["[{{ lb.port }}, '{{ 'a' }}']", [8443, "a"]],
    ["[{{ lb.port }}, {{ 'a' }}]", "[8443, a]"],
    ["[section] {{ lb.port }}", "[section] 8443"],
  ])("%j", (text, value) => {
    expect(renderString(text, data)).toEqual(value);
  });

  it.each([
    ["{% if x %}", "'{% if %}' is never closed with '{% endif %}' at column 1"],
    ["{% endfor %}", "'{% endfor %}' without a matching opening statement"],
    ["{% if 1 %}{% else %}{% else %}{% endif %}", "'{% else %}' without a matching opening statement"],
    ["{% for in x %}{% endfor %}", "'in' cannot be a loop variable"],
    ["{% for x y %}{% endfor %}", "expected 'in' but found 'y'"],
    ["{% while x %}", "unknown statement 'while'"],
    ["{% set = 1 %}", "expected `{% set name = value %}`"],
    ["{% endif extra %}", "without a matching opening statement"],
    ["{% raw %}x", "'{% raw %}' is never closed"],
  ])("%j is a syntax error", (text, message) => {
    const err = errorOf(() => renderString(text, data));
    expect(err.context.kind).toBe("expression");
    expect(err.message).toContain(message);
  });

  it("errors inside a loop point at the failing expression", () => {
    const position = { file: "defaults/main.yml", line: 2, column: 3 };
    const err = errorOf(() => renderString("{% for h in groups.etcd %}\n{{ hostvars[h].nope }}{% endfor %}", data, { position }));
    expect(err.message).toBe("'hostvars['n1'].nope' is undefined");
    expect(err.context.position).toEqual({ file: "defaults/main.yml", line: 3, column: 1 });
  });

  it("unpacking the wrong number of values fails clearly", () => {
    expect(errorOf(() => renderString("{% for a, b in [[1, 2, 3]] %}{% endfor %}", data)).message).toContain(
      "cannot unpack 3 values into 2 loop variables",
    );
  });
});

describe("renderValue", () => {
  it("renders strings inside lists and dicts, keys too, and keeps untouched parts", () => {
    const untouched = { x: [1, 2] };
    const value = { dest: "{{ b }}/x", opts: ["{{ n }}", "lit"], "{{ a }}_key": 1, untouched };
    const out = renderValue(value, vars) as Record<string, unknown>;
    expect(out).toEqual({ dest: "conf/x", opts: [5, "lit"], x_key: 1, untouched });
    expect(out.untouched).toBe(untouched);
    const plain = { a: [1, { b: "c" }] };
    expect(renderValue(plain, vars)).toBe(plain);
  });

  it("isTemplated looks inside containers", () => {
    expect(isTemplated({ a: ["{{ x }}"] })).toBe(true);
    expect(isTemplated({ a: ["x", 1, null] })).toBe(false);
    expect(isTemplated("{# c #}")).toBe(true);
  });

  it("OMIT passes through for the executor to strip", () => {
    expect((renderValue({ mode: "{{ m | default(omit) }}" }, {}) as Record<string, unknown>).mode).toBe(OMIT);
  });
});

describe("evaluateCondition", () => {
  it.each([
    [true, true],
    [false, false],
    ["", true],
    ["n > 3", true],
    ["n > 3 and a == 'x'", true],
    ["missing is defined", false],
    ["list", true],
    ["[]", false],
    ["'false'", true],
    ["s_false", true],
    ["{{ s_false }}", false],
    ["{{ t }}", true],
    ["{{ 'yes' }}", true],
    ["{{ 'no' }}", false],
    ["{{ 'n > 3' }}", true],
    ["{{ n > 10 }}", false],
  ] as const)("%j", (condition, value) => {
    expect(evaluateCondition(condition, vars)).toBe(value);
  });

  it("a list means AND", () => {
    expect(evaluateCondition(["n > 3", "a == 'x'"], vars)).toBe(true);
    expect(evaluateCondition(["n > 3", "a == 'y'"], vars)).toBe(false);
  });

  it("fails on an undefined variable, naming it", () => {
    const err = errorOf(() => evaluateCondition("kube_enabled", {}, { position: { file: "t.yml", line: 4, column: 13 } }));
    expect(err.message).toBe("'kube_enabled' is undefined");
    expect(err.context.position).toEqual({ file: "t.yml", line: 4, column: 13 });
  });
});

describe("load-time checks", () => {
  it("collect every unknown filter and test with its position", () => {
    const errors = checkExpression("x | defualt(1) and y is defind", { file: "p.yml", line: 2, column: 11 });
    expect(errors.map((e) => e.message)).toEqual(["no filter named 'defualt'", "no test named 'defind'"]);
    expect(errors[0].context.position).toEqual({ file: "p.yml", line: 2, column: 13 });
    expect(errors[0].context.hint).toBe("did you mean `default`?");
  });

  it("report syntax errors and accept good input", () => {
    expect(checkExpression("a ==")[0].message).toContain("unexpected end of expression");
    expect(checkExpression("a | default('x') is string")).toEqual([]);
    expect(checkTemplated({ args: ["{{ a | uper }}", "{{ ok }}"], k: 1 }).map((e) => e.message)).toEqual(["no filter named 'uper'"]);
    expect(checkTemplated("{{ a")[0].message).toContain("never closed");
  });
});
