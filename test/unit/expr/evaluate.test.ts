import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OMIT, evaluate, isOmit, type LazyMapping } from "../../../src/engine/expr/index.js";
import { errorOf } from "../error-of.js";

function lazy(entries: Record<string, () => unknown>): LazyMapping & { reads: string[] } {
  const reads: string[] = [];
  return {
    lazyMapping: true,
    reads,
    get: (k) => {
      reads.push(k);
      return Object.prototype.hasOwnProperty.call(entries, k) ? entries[k]() : undefined;
    },
    has: (k) => Object.prototype.hasOwnProperty.call(entries, k),
    keys: () => Object.keys(entries),
  };
}

const vars = {
  groups: { etcd: ["n1", "n2"], all: ["n1", "n2", "n3"] },
  hostvars: { n1: { ip: "10.0.0.1" }, n2: { ip: "10.0.0.2" } },
  x: { y: { z: "deep" } },
  list: [1, 2, 3, 4, 5],
  s: "Hello World",
  h: "n2",
  nothing: null,
};

describe("access", () => {
  it.each([
    ["groups['etcd'][0]", "n1"],
    ["groups.etcd[-1]", "n2"],
    ["hostvars[h].ip", "10.0.0.2"],
    ["hostvars[groups.etcd[0]]['ip']", "10.0.0.1"],
    ["x.y.z", "deep"],
    ["list.0", 1],
    ["list[1:3]", [2, 3]],
    ["list[:2]", [1, 2]],
    ["list[-2:]", [4, 5]],
    ["list[::2]", [1, 3, 5]],
    ["list[::-1]", [5, 4, 3, 2, 1]],
    ["s[0:5]", "Hello"],
    ["s[-5:]", "World"],
  ])("%s", (text, value) => {
    expect(evaluate(text, vars)).toEqual(value);
  });

  it("reads lazy mappings only for the keys used", () => {
    const hostvars = lazy({ n1: () => ({ ip: "1.1.1.1" }), n2: () => { throw new Error("must not be read"); } });
    expect(evaluate("hostvars['n1'].ip", { hostvars })).toBe("1.1.1.1");
    expect(hostvars.reads).toEqual(["n1"]);
    expect(evaluate("'n2' in hostvars", { hostvars })).toBe(true);
    expect(evaluate("hostvars.keys() | list", { hostvars })).toEqual(["n1", "n2"]);
  });

  it("uses a lazy mapping as the variables themselves", () => {
    const scope = lazy({ a: () => 2 });
    expect(evaluate("a * 21", scope)).toBe(42);
    expect(evaluate("b is defined", scope)).toBe(false);
  });
});

describe("undefined", () => {
  it("is fine for tests and default, and an error naming the variable when used", () => {
    expect(evaluate("kube_version is defined", {})).toBe(false);
    expect(evaluate("kube_version is undefined", {})).toBe(true);
    expect(evaluate("kube_version | default('v1.30')", {})).toBe("v1.30");
    expect(evaluate("kube_version.major is defined", {})).toBe(false);
    const err = errorOf(() => evaluate("kube_version ~ '-x'", {}));
    expect(err.context.kind).toBe("variable");
    expect(err.message).toBe("'kube_version' is undefined");
  });

  it("names the full path of a missing attribute", () => {
    expect(errorOf(() => evaluate("hostvars[h].nope", vars)).message).toBe("'hostvars['n2'].nope' is undefined");
    expect(errorOf(() => evaluate("x.y.missing.more", vars)).message).toBe("'x.y.missing.more' is undefined");
    expect(errorOf(() => evaluate("groups['kube_node'][0]", vars)).message).toBe("'groups['kube_node'][0]' is undefined");
  });

  it("explains an attribute of None", () => {
    const err = errorOf(() => evaluate("nothing.port + 1", vars));
    expect(err.message).toBe("'nothing.port' is undefined");
    expect(err.context.hint).toBe("'nothing' is None");
  });

  it("fails in conditions and comparisons", () => {
    expect(errorOf(() => evaluate("missing == 1", {})).message).toBe("'missing' is undefined");
    expect(errorOf(() => evaluate("missing and true", {})).message).toBe("'missing' is undefined");
    expect(errorOf(() => evaluate("missing | upper", {})).message).toBe("'missing' is undefined");
  });
});

describe("security: no way into JS internals", () => {
  it.each([
    "''.constructor.constructor('return process')()",
    "x.constructor",
    "x['constructor']",
    "x.__proto__",
    "list['__proto__']",
    "x.y.__defineGetter__",
    "s.__class__",
    "{}.prototype",
    "dict.constructor",
    "(s.split).constructor",
  ])("%s is refused", (text) => {
    const err = errorOf(() => evaluate(text, vars));
    expect(err.message).toMatch(/access to '[_a-zA-Z]+' is not allowed/);
  });

  it("does not call functions found in data", () => {
    expect(errorOf(() => evaluate("f()", { f: () => 1 })).message).toBe("'f' is not callable (it is a object)");
    expect(errorOf(() => evaluate("s.toUpperCase()", vars)).message).toContain("'s.toUpperCase' is undefined");
    expect(errorOf(() => evaluate("list.push(1)", vars)).message).toContain("'list.push' is undefined");
  });

  it("does not read inherited properties of data", () => {
    expect(evaluate("x.hasOwnProperty is defined", vars)).toBe(false);
    expect(evaluate("list.length is defined", vars)).toBe(false);
    expect(evaluate("s.length is defined", vars)).toBe(false);
  });

  it("a __proto__ key in data stays plain data", () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}');
    const merged = evaluate("d | combine({'b': 2})", { d: parsed }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("bounds huge ranges and repetitions", () => {
    expect(errorOf(() => evaluate("range(10000000000)", {})).message).toContain("more than the limit");
    expect(errorOf(() => evaluate("'x' * 100000000000", {})).message).toContain("too large");
    expect(errorOf(() => evaluate("[1] * 100000000000", {})).message).toContain("too large");
    expect(errorOf(() => evaluate("10 ** 10000", {})).message).toContain("too large");
  });
});

describe("operators", () => {
  it.each([
    ["7 / 2", 3.5],
    ["7 // 2", 3],
    ["-7 // 2", -4],
    ["-7 % 3", 2],
    ["2 ** 10", 1024],
    ["'ab' * 3", "ababab"],
    ["[1] + [2]", [1, 2]],
    ["'a' + 'b'", "ab"],
    ["'x' ~ none ~ true ~ 1", "xNoneTrue1"],
    ["'%s-%05.1f|%-3d|%r' % ('a', 2.5, 7, 'q')", "a-002.5|7  |'q'"],
    ["'%(name)s=%(v)d' % {'name': 'n', 'v': 3}", "n=3"],
    ["true + 1", 2],
    ["'a' in 'abc'", true],
    ["2 not in [1, 2]", false],
    ["'k' in {'k': 1}", true],
    ["[1, [2]] == [1, [2]]", true],
    ["{'a': 1} != {'a': 1}", false],
    ["1 == true", true],
    ["'b' > 'a'", true],
    ["[1, 2] < [1, 3]", true],
    ["0 or 'x'", "x"],
    ["'' and 'x'", ""],
    ["1 if none else 2", 2],
    ["'a' if false", ""],
  ])("%s", (text, value) => {
    expect(evaluate(text, {})).toEqual(value);
  });

  it.each([
    ["1 / 0", "division by zero"],
    ["1 < 'a'", "cannot compare int with str"],
    ["{} + {}", "unsupported operand types for +: 'dict' and 'dict'"],
    ["1 in 'abc'", "requires string as left operand"],
    ["'%d' % 'x'", "real number is required"],
  ])("%s fails", (text, message) => {
    expect(errorOf(() => evaluate(text, {})).message).toContain(message);
  });
});

describe("methods", () => {
  it.each([
    ["'a,b,,c'.split(',')", ["a", "b", "", "c"]],
    ["' a  b '.split()", ["a", "b"]],
    ["'a.b.c'.split('.', 1)", ["a", "b.c"]],
    ["'a.b.c'.rsplit('.', 1)", ["a.b", "c"]],
    ["'v1.2'.startswith('v')", true],
    ["'x.conf'.endswith(('.yml', '.conf'))", true],
    ["'  x '.strip()", "x"],
    ["'xxaxx'.strip('x')", "a"],
    ["'Ab'.lower() ~ 'Ab'.upper()", "abAB"],
    ["'aaa'.replace('a', 'b', 2)", "bba"],
    ["','.join(['a', 'b'])", "a,b"],
    ["{'a': 1}.keys() | list", ["a"]],
    ["{'a': 1}.values() | list", [1]],
    ["{'a': 1}.items() | list", [["a", 1]]],
    ["{'a': 1}.get('b', 5)", 5],
    ["{'a': 1}.get('b')", null],
    ["[1, 2, 2].count(2)", 2],
    ["['a', 'b'].index('b')", 1],
    ["'line1\\nline2\\n'.splitlines()", ["line1", "line2"]],
  ])("%s", (text, value) => {
    expect(evaluate(text, {})).toEqual(value);
  });

  it("prefers a dict's item over a method only with [] (Jinja's order)", () => {
    const d = { d: { keys: "item" } };
    expect(evaluate("d['keys']", d)).toBe("item");
    expect(evaluate("d.keys() | list", d)).toEqual(["keys"]);
  });
});

describe("functions", () => {
  it("range", () => {
    expect(evaluate("range(3)", {})).toEqual([0, 1, 2]);
    expect(evaluate("range(1, 10, 3)", {})).toEqual([1, 4, 7]);
    expect(evaluate("range(5, 0, -2)", {})).toEqual([5, 3, 1]);
  });

  it("lookup and query read env and files", () => {
    const dir = mkdtempSync(join(tmpdir(), "kplay-expr-"));
    writeFileSync(join(dir, "token"), "s3cret\n\n");
    process.env.KPLAY_EXPR_TEST = "yes";
    expect(evaluate("lookup('env', 'KPLAY_EXPR_TEST')", {})).toBe("yes");
    expect(evaluate("lookup('ansible.builtin.env', 'KPLAY_UNSET_VAR_X')", {})).toBe("");
    expect(evaluate("query('env', 'KPLAY_EXPR_TEST', 'KPLAY_EXPR_TEST')", {})).toEqual(["yes", "yes"]);
    expect(evaluate("lookup('file', 'token')", {}, { searchPaths: ["/nonexistent", dir] })).toBe("s3cret");
    expect(evaluate(`lookup('file', '${join(dir, "token")}')`, {})).toBe("s3cret");
    const missing = errorOf(() => evaluate("lookup('file', 'absent')", {}, { searchPaths: [dir] }));
    expect(missing.message).toBe("lookup('file'): could not find or read 'absent'");
    expect(missing.context.hint).toBe(`looked in: ${join(dir, "absent")}`);
    expect(evaluate("lookup('vars', 'a')", { a: [1] })).toEqual([1]);
    expect(evaluate("lookup('vars', 'b', default=2)", {})).toBe(2);
    expect(evaluate("q('dict', {'a': 1})", {})).toEqual([{ key: "a", value: 1 }]);
  });

  it("lookup('file') looks in the role's and the playbook's files/ like Ansible", () => {
    const role = mkdtempSync(join(tmpdir(), "kplay-role-"));
    const playbook = mkdtempSync(join(tmpdir(), "kplay-pb-"));
    mkdirSync(join(role, "files"));
    writeFileSync(join(role, "files", "ca.pem"), "ROLE CA\n");
    writeFileSync(join(playbook, "ca.pem"), "PLAYBOOK CA\n");
    writeFileSync(join(playbook, "only-here.txt"), "PB\n");
    const vars = { role_path: role, playbook_dir: playbook };
    expect(evaluate("lookup('file', 'ca.pem')", vars)).toBe("ROLE CA");
    expect(evaluate("lookup('file', 'only-here.txt')", vars)).toBe("PB");
    expect(evaluate("lookup('file', 'ca.pem')", { playbook_dir: playbook })).toBe("PLAYBOOK CA");
  });

  it("an unknown lookup suggests the closest", () => {
    const err = errorOf(() => evaluate("lookup('enz', 'HOME')", {}));
    expect(err.message).toBe("no lookup named 'enz'");
    expect(err.context.hint).toBe("did you mean `env`?");
  });

  it("omit and vars", () => {
    expect(isOmit(evaluate("x | default(omit)", {}))).toBe(true);
    expect(evaluate("omit", {})).toBe(OMIT);
    expect(evaluate("vars['a' ~ 'b']", { ab: 3 })).toBe(3);
  });
});
