// Expected values were checked against ansible-core 2.14 (`debug: msg="{{ ... }}"`).
import { describe, expect, it } from "vitest";
import { evaluate, filterNames } from "../../../src/engine/expr/index.js";
import { errorOf } from "../error-of.js";

const vars = {
  users: [
    { name: "b", uid: 2, groups: ["wheel"], enabled: true },
    { name: "a", uid: 1, groups: [], enabled: false },
    { name: "C", uid: 3, groups: ["wheel", "docker"], enabled: true },
  ],
  servers: ["s1", "s2"],
  empty: [],
};

describe("presence and types", () => {
  it.each([
    ["missing | default('x')", "x"],
    ["missing | d('x')", "x"],
    ["none | default('x')", null],
    ["'' | default('x')", ""],
    ["'' | default('x', true)", "x"],
    ["0 | default(5, boolean=true)", 5],
    ["'yes' | bool", true],
    ["'On' | bool", true],
    ["1 | bool", true],
    ["'nope' | bool", false],
    ["none | bool", false],
    ["'3.7' | int", 3],
    ["'0x1A' | int(base=16)", 26],
    ["'abc' | int", 0],
    ["'abc' | int(7)", 7],
    ["true | int", 1],
    ["'12' | float", 12],
    ["'1e3' | float", 1000],
    ["42 | string", "42"],
    ["[1, 'a'] | string", "[1, 'a']"],
    ["servers | length", 2],
    ["{'a': 1} | count", 1],
    ["'abc' | length", 3],
    ["-3 | abs", 3],
    ["2.5 | round", 2],
    ["1.5 | round", 2],
    ["3.14159 | round(2)", 3.14],
    ["3.1 | round(0, 'ceil')", 4],
    ["true | ternary('a', 'b')", "a"],
    ["none | ternary('a', 'b', 'n')", "n"],
    ["{} | type_debug", "dict"],
  ])("%s", (text, value) => {
    expect(evaluate(text, vars)).toEqual(value);
  });

  it("mandatory fails with the variable's name", () => {
    expect(errorOf(() => evaluate("kube_version | mandatory", {})).message).toBe("mandatory variable 'kube_version' is not defined");
    expect(errorOf(() => evaluate("x | mandatory('set x!')", {})).message).toBe("set x!");
    expect(evaluate("1 | mandatory", {})).toBe(1);
  });
});

describe("strings", () => {
  it.each([
    ["'Hello' | lower", "hello"],
    ["'Hello' | upper", "HELLO"],
    ["'hELLO world' | capitalize", "Hello world"],
    ["'hello world' | title", "Hello World"],
    ["'  x  ' | trim", "x"],
    ["'a-b-c' | replace('-', '_')", "a_b_c"],
    ["'a-b-c' | replace('-', '_', 1)", "a_b-c"],
    ["'a b  c' | split", ["a", "b", "c"]],
    ["'a,b,,c' | split(',')", ["a", "b", "", "c"]],
    ['"it\'s" | quote', "'it'\\''s'"],
    ["'plain' | quote", "plain"],
    ["'/etc/kube/x.conf' | basename", "x.conf"],
    ["'/etc/kube/x.conf' | dirname", "/etc/kube"],
    ["'x' | dirname", ""],
    ["['/etc', 'kube', 'x'] | path_join", "/etc/kube/x"],
    ["'kplay' | b64encode", "a3BsYXk="],
    ["'a3BsYXk=' | b64decode", "kplay"],
    ["'abc' | hash('sha1')", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["'abc' | hash('md5')", "900150983cd24fb0d6963f7d28e17f72"],
    ["'abc' | checksum", "a9993e364706816aba3e25717850c26c9cd0d89d"],
    ["'a\\nb\\n' | indent(2)", "a\n  b\n"],
    ["'%s:%d' | format('a', 3)", "a:3"],
    ["'%(h)s' | format(h='x')", "x"],
    ["'/a/b.tar.gz' | splitext", ["/a/b.tar", ".gz"]],
    ["'.bashrc' | splitext", [".bashrc", ""]],
    ["'/a.b/c' | splitext", ["/a.b/c", ""]],
    ["'https://user:pw@Registry.K8s.io:5000/v2/x?q=1#f' | urlsplit('hostname')", "registry.k8s.io"],
    ["'https://user:pw@Registry.K8s.io:5000/v2/x?q=1#f' | urlsplit('port')", 5000],
    ["'https://user:pw@Registry.K8s.io:5000/v2/x?q=1#f' | urlsplit('password')", "pw"],
    ["'http://[::1]:80/' | urlsplit('hostname')", "::1"],
    ["'registry.k8s.io' | urlsplit('path')", "registry.k8s.io"],
    ["'registry.k8s.io' | urlsplit('hostname')", null],
    ["'a\\nb' | indent(2, true)", "  a\n  b"],
  ])("%s", (text, value) => {
    expect(evaluate(text, vars)).toEqual(value);
  });

  it("an unknown hash algorithm is an error", () => {
    expect(errorOf(() => evaluate("'x' | hash('nope')", {})).message).toBe("unknown hash algorithm 'nope'");
  });
});

describe("regular expressions (Python syntax)", () => {
  it.each([
    ["'Hello World' | regex_replace('o', '0')", "Hell0 W0rld"],
    ["'Hello World' | regex_replace('(?P<w>o)', '[\\\\g<w>]')", "Hell[o] W[o]rld"],
    ["'key=val' | regex_replace('(\\\\w+)=(\\\\w+)', '\\\\2=\\\\1')", "val=key"],
    ["'aaa' | regex_replace('a', 'b', count=2)", "bba"],
    ["'ABC' | regex_replace('b', 'x', ignorecase=true)", "AxC"],
    ["'abc123def45' | regex_findall('\\\\d+')", ["123", "45"]],
    ["'a=1 b=2' | regex_findall('(\\\\w)=(\\\\d)')", [["a", "1"], ["b", "2"]]],
    ["'key=val' | regex_search('(\\\\w+)=(\\\\w+)', '\\\\2', '\\\\1')", ["val", "key"]],
    ["'v1.28.3' | regex_search('\\\\d+\\\\.\\\\d+')", "1.28"],
    ["'abc' | regex_search('z')", null],
    ["'(?i)ABC' | regex_replace('x', 'y')", "(?i)ABC"],
    ["'ABC' | regex_replace('(?i)b', 'y')", "AyC"],
    ["'10.0.0.1' | regex_escape", "10\\.0\\.0\\.1"],
    ["'a/b_c' | regex_escape", "a/b_c"],
  ])("%s", (text, value) => {
    expect(evaluate(text, vars)).toEqual(value);
  });

  it("an invalid pattern is an error naming it", () => {
    expect(errorOf(() => evaluate("'x' | regex_replace('(', '')", {})).message).toContain("invalid regular expression '('");
  });
});

describe("lists and dicts", () => {
  it.each([
    ["servers | join(',')", "s1,s2"],
    ["[1, none] | join('-')", "1-None"],
    ["users | join(',', attribute='name')", "b,a,C"],
    ["servers | first", "s1"],
    ["servers | last", "s2"],
    ["'hello' | first", "h"],
    ["[3, 1, 3, 2, 1] | unique", [3, 1, 2]],
    ["['b', 'A', 'c'] | sort", ["A", "b", "c"]],
    ["['b', 'A', 'c'] | sort(case_sensitive=true)", ["A", "b", "c"]],
    ["[3, 1, 2] | sort(reverse=true)", [3, 2, 1]],
    ["users | sort(attribute='name') | map(attribute='uid') | list", [1, 2, 3]],
    ["users | sort(attribute='name', case_sensitive=true) | map(attribute='uid') | list", [3, 1, 2]],
    ["users | sort(attribute='enabled,uid') | map(attribute='uid') | list", [1, 2, 3]],
    ["[1, 2] | reverse | list", [2, 1]],
    ["'abc' | reverse", "cba"],
    ["'ab' | list", ["a", "b"]],
    ["[4, 9, 1] | min", 1],
    ["[4, 9, 1] | max", 9],
    ["[1, 2, 3] | sum", 6],
    ["users | sum(attribute='uid')", 6],
    ["[[1], [2]] | sum(start=[])", [1, 2]],
    ["users | map(attribute='name') | list", ["b", "a", "C"]],
    ["users | map(attribute='shell', default='sh') | list", ["sh", "sh", "sh"]],
    ["servers | map('upper') | list", ["S1", "S2"]],
    ["servers | map('regex_replace', 's', 'n') | list", ["n1", "n2"]],
    ["[0, 1, '', 'a'] | select | list", [1, "a"]],
    ["[1, 2, 3, 4] | select('even') | list", [2, 4]],
    ["[1, 2, 3, 4] | reject('even') | list", [1, 3]],
    ["[1, 5, 9] | select('gt', 3) | list", [5, 9]],
    ["['ab', 'cd'] | select('match', 'a') | list", ["ab"]],
    ["users | selectattr('enabled') | map(attribute='name') | list", ["b", "C"]],
    ["users | rejectattr('enabled') | map(attribute='name') | list", ["a"]],
    ["users | selectattr('uid', 'gt', 1) | map(attribute='name') | list", ["b", "C"]],
    ["users | selectattr('groups', 'contains', 'docker') | map(attribute='name') | list", ["C"]],
    ["users | selectattr('shell', 'defined') | list", []],
    ["users | selectattr('name', 'equalto', 'a') | map(attribute='uid') | first", 1],
    ["{'a': {'x': 1}} | combine({'a': {'y': 2}}, recursive=true)", { a: { x: 1, y: 2 } }],
    ["{'a': {'x': 1}} | combine({'a': {'y': 2}})", { a: { y: 2 } }],
    ["{'a': [1]} | combine({'a': [2]}, list_merge='append')", { a: [1, 2] }],
    ["[{'a': 1}, {'b': 2}] | combine", { a: 1, b: 2 }],
    ["{'a': 1} | combine({'b': 2}, {'a': 3})", { a: 3, b: 2 }],
    ["{'a': 1} | dict2items", [{ key: "a", value: 1 }]],
    ["{'a': 1} | dict2items(key_name='k', value_name='v')", [{ k: "a", v: 1 }]],
    ["[{'key': 'a', 'value': 1}] | items2dict", { a: 1 }],
    ["[{'n': 'a', 'v': 1}] | items2dict(key_name='n', value_name='v')", { a: 1 }],
    ["[1, [2, [3, none]]] | flatten", [1, 2, 3]],
    ["[1, [2, [3, none]]] | flatten(levels=1)", [1, 2, [3, null]]],
    ["[1, 2, 3] | difference([2])", [1, 3]],
    ["[3, 1, 3] | union([1, 4])", [3, 1, 4]],
    ["[1, 2] | intersect([2, 3])", [2]],
    ["[1, 2] | symmetric_difference([2, 3])", [1, 3]],
    ["[1, 2] | zip(['a', 'b']) | list", [[1, "a"], [2, "b"]]],
    ["[1, 2] | zip_longest(['a'], fillvalue='-') | list", [[1, "a"], [2, "-"]]],
    ["{'b': 2, 'a': 1} | dictsort", [["a", 1], ["b", 2]]],
    ["{'b': 1, 'a': 2} | dictsort(by='value')", [["b", 1], ["a", 2]]],
    ["['n1', 'n2'] | map('extract', hostvars, 'ip') | list", ["10.0.0.1", "10.0.0.2"]],
    ["{'a': 1} | items | list", [["a", 1]]],
    [
      "[{'k': 'b', 'v': 1}, {'k': 'a', 'v': 2}, {'k': 'b', 'v': 3}] | groupby('k') | list",
      [["a", [{ k: "a", v: 2 }]], ["b", [{ k: "b", v: 1 }, { k: "b", v: 3 }]]],
    ],
    ["[1, 2, 3, 4, 5] | batch(2) | list", [[1, 2], [3, 4], [5]]],
    ["[1, 2, 3] | batch(2, 'x') | list", [[1, 2], [3, "x"]]],
  ])("%s", (text, value) => {
    expect(evaluate(text, { ...vars, hostvars: { n1: { ip: "10.0.0.1" }, n2: { ip: "10.0.0.2" } } })).toEqual(value);
  });

  it("first of an empty list is undefined, and fails when used", () => {
    expect(evaluate("empty | first is defined", vars)).toBe(false);
    expect(errorOf(() => evaluate("empty | first", vars)).message).toBe("'first' is undefined");
  });

  it("max with attribute keeps the item", () => {
    expect(evaluate("users | max(attribute='uid')", vars)).toEqual(vars.users[2]);
  });
});

describe("serialization", () => {
  const data = { b: 1, a: { x: [1, 2] } };
  it.each([
    ["d | to_json", '{"b": 1, "a": {"x": [1, 2]}}'],
    ["d | to_nice_json", '{\n    "a": {\n        "x": [\n            1,\n            2\n        ]\n    },\n    "b": 1\n}'],
    ["d | to_yaml", "a:\n  x: [1, 2]\nb: 1\n"],
    // PyYAML puts the dashes at the key's column; the yaml library indents them by two.
    ["d | to_nice_yaml", "a:\n    x:\n      - 1\n      - 2\nb: 1\n"],
    ["'{\"a\": [1]}' | from_json", { a: [1] }],
    ["'a: [1, 2]\\nb: x' | from_yaml", { a: [1, 2], b: "x" }],
    ["'a: 1\\n---\\nb: 2' | from_yaml_all", [{ a: 1 }, { b: 2 }]],
  ])("%s", (text, value) => {
    expect(evaluate(text, { d: data })).toEqual(value);
  });

  it("bad JSON says so", () => {
    expect(errorOf(() => evaluate("'{' | from_json", {})).message).toContain("from_json: the input is not valid JSON");
  });
});

describe("filter names", () => {
  it("accept collection prefixes", () => {
    expect(evaluate("'A' | ansible.builtin.lower", {})).toBe("a");
    expect(evaluate("'10.0.0.0/8' | ansible.utils.ipaddr('prefix')", {})).toBe(8);
    expect(evaluate("'10.0.0.0/8' | ansible.netcommon.ipaddr('network')", {})).toBe("10.0.0.0");
  });

  it("suggest the closest on a typo", () => {
    const err = errorOf(() => evaluate("x | defualt('a')", {}));
    expect(err.message).toBe("no filter named 'defualt'");
    expect(err.context.hint).toBe("did you mean `default`?");
    expect(errorOf(() => evaluate("x | to_nice_jsn", { x: 1 })).context.hint).toBe("did you mean `to_nice_json`?");
  });

  it("lists every required filter", () => {
    const required = [
      "default", "d", "bool", "int", "float", "string", "length", "count", "lower", "upper", "capitalize", "trim",
      "replace", "join", "first", "last", "unique", "sort", "reverse", "list", "min", "max", "sum", "map", "select",
      "reject", "selectattr", "rejectattr", "combine", "dict2items", "items2dict", "flatten", "difference", "union",
      "intersect", "zip", "to_json", "to_nice_json", "to_yaml", "to_nice_yaml", "from_json", "from_yaml",
      "regex_replace", "regex_search", "regex_findall", "regex_escape", "b64encode", "b64decode", "basename",
      "dirname", "quote", "ternary", "split", "dictsort", "abs", "round", "hash", "mandatory", "ipaddr", "ipv4",
      "ipv6", "ipmath", "nthhost",
    ];
    expect(required.filter((f) => !filterNames().includes(f))).toEqual([]);
  });
});
