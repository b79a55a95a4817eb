// Hostile text in expressions, templates, inventories and host patterns: it may fail, with a
// KplayError that says where, but it must never reach JavaScript internals, crash with another
// exception, or hang. The fuzz figures printed here go into docs/security.md.
import fc from "fast-check";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { KplayError } from "../../src/engine/errors.js";
import { evaluate, renderString } from "../../src/engine/expr/index.js";
import { InventoryGraph } from "../../src/engine/inventory/inventory-graph.js";
import { parseIniSource } from "../../src/engine/inventory/ini-source.js";
import { loadInventory } from "../../src/engine/inventory/load.js";
import { resolvePattern } from "../../src/engine/inventory/pattern.js";
import { loadYamlFile } from "../../src/engine/inventory/yaml-file.js";
import { isYamlInventory, parseYamlSource } from "../../src/engine/inventory/yaml-source.js";
import { renderJinjaTemplateString, renderTemplateString } from "../../src/engine/template/index.js";
import { stringify } from "yaml";

const CANARY = "kplayCanary";
const position = { file: "hostile.yml", line: 3, column: 7 };
const vars = { x: { a: 1 }, s: "text", l: [1, 2], HOME_VAR: "h" };

type Global = Record<string, unknown>;

beforeEach(() => {
  (globalThis as Global)[CANARY] = "untouched";
});

/** What happened: a value (anything but a function or the process object) or a KplayError. */
function outcome(run: () => unknown): { value?: unknown; error?: KplayError } {
  try {
    const value = run();
    return { value };
  } catch (e) {
    if (e instanceof KplayError) return { error: e };
    throw e;
  }
}

function expectContained(run: () => unknown): void {
  const { value, error } = outcome(run);
  expect((globalThis as Global)[CANARY]).toBe("untouched");
  expect(({} as Global).polluted).toBeUndefined();
  if (error) {
    expect(error.message.length).toBeGreaterThan(0);
    return;
  }
  expect(typeof value).not.toBe("function");
  expect(value).not.toBe(process);
  // Whatever came back was empty or plain data, never a JS function's source or an internal object.
  expect(String(value)).not.toMatch(/native code|\[object process\]|function/i);
}

describe("expressions cannot reach JavaScript internals", () => {
  const ESCAPES = [
    "''.constructor.constructor('return process')()",
    `''.constructor.constructor('globalThis.${CANARY} = "pwned"')()`,
    `s.constructor.constructor('globalThis.${CANARY} = "pwned"')()`,
    "x.__proto__",
    "x['__proto__']",
    "x.constructor",
    "x['constructor']['constructor']",
    "x.prototype",
    "l.constructor.prototype",
    "(1).constructor",
    "{}.constructor",
    "[].constructor.constructor('return process')()",
    "lookup('env','HOME').constructor",
    "lookup('env','HOME').constructor.constructor('return process')()",
    "x | attr('constructor')",
    "s.__class__.__mro__",
    "s.toString",
    "s.valueOf()",
    "l.push(1)",
    "x.hasOwnProperty('a')",
    "x | combine({'__proto__': {'polluted': 1}})",
    "dict(__proto__={'polluted': 1})",
    "{'__proto__': {'polluted': 1}}",
    "x.__defineGetter__",
  ];
  for (const text of ESCAPES) {
    it(`{{ ${text} }}`, () => {
      expectContained(() => evaluate(text, vars, { position }));
      expectContained(() => renderString(`{{ ${text} }}`, vars, { position }));
      expectContained(() => renderJinjaTemplateString(`a {{ ${text} }} b`, vars, "hostile.j2"));
    });
  }

  it("a {% set %} on a prototype key changes no object", () => {
    expectContained(() => renderJinjaTemplateString("{% set __proto__ = {'polluted': 1} %}{{ __proto__ }}", vars, "hostile.j2"));
  });
});

describe("Handlebars templates cannot reach JavaScript internals", () => {
  const ESCAPES = [
    "{{constructor.constructor}}",
    "{{x.constructor.constructor}}",
    "{{x.__proto__}}",
    "{{lookup x 'constructor'}}",
    "{{#with x.constructor as |c|}}{{c.name}}{{/with}}",
    // The published Handlebars RCE gadget (CVE-2019-19919 family).
    `{{#with "s" as |string|}}{{#with string.split as |conslist|}}{{#with (string.sub.apply 0 "globalThis.${CANARY}='pwned'") as |code|}}{{string.constructor.constructor code}}{{/with}}{{/with}}{{/with}}`,
    `{{#with (lookup (lookup this "constructor") "constructor") as |f|}}{{f "globalThis.${CANARY}='pwned'"}}{{/with}}`,
  ];
  for (const text of ESCAPES) {
    it(text, () => {
      expectContained(() => renderTemplateString(text, vars, "hostile.hbs"));
    });
  }
});

// Per-input wall-clock bound: a regular expression or loop that blows up on some input is a hang.
const PER_INPUT_MS = 2_000;
const tried: Record<string, number> = {};

afterAll(() => {
  console.log(`fuzz inputs tried: ${JSON.stringify(tried)}`);
});

function bounded(name: string, run: () => void): void {
  tried[name] = (tried[name] ?? 0) + 1;
  const started = performance.now();
  run();
  expect(performance.now() - started).toBeLessThan(PER_INPUT_MS);
}

/** Runs a loader: returns errors, or throws; every error (returned or thrown) is a KplayError with a position. */
function expectPositionedErrors(run: () => KplayError[]): void {
  let errors: unknown[];
  try {
    errors = run();
  } catch (e) {
    errors = [e];
  }
  for (const e of errors) {
    expect(e).toBeInstanceOf(KplayError);
    expect((e as KplayError).context.position, (e as KplayError).message).toBeDefined();
  }
}

const text = (fragments: string[], maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 })), { maxLength }).map((parts) => parts.join("")),
  );

const INI_FRAGMENTS = [
  "\n", "[", "]", "[all]", "[web]", "[web:children]", "[web:vars]", "[x:bogus]", ":", "=", " ", "'", '"', "\\", "#", ";",
  "node[01:10]", "db-[a:f]", "h[1:99999999]", "h[0:9:0]", "ansible_host=", "x=[1,2", "x={'a':", "1e999", "True", "{{ x }}",
  "$(touch /tmp/pwned)", "`id`", "\u0000", "\r", "é",
];
const YAML_KEYS = ["all", "hosts", "children", "vars", "web", "node[1:3]", "__proto__", "constructor", "plugin", "ansible_host", "&a", "*a", "<<"];
const yamlStructure = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, "", "x", 1, true, "{{ x }}", "node[1:3]"),
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...YAML_KEYS), tie("node"), { maxKeys: 4 }),
  ),
})).node;
const YAML_FRAGMENTS = ["\n", "  ", "- ", ": ", "all:", "hosts:", "children:", "vars:", "{", "}", "[", "]", "&a ", "*a", "<<: ", "!!python/object ", "? ", "|", ">", "'", '"', "#", "---", "..."];
const EXPR_FRAGMENTS = [
  "x", "s", "l", "missing", "1", "'a'", "(", ")", "[", "]", "{", "}", ",", ":", ".", "|", "+", "*", "**", "~", "==", " and ", " not ",
  " in ", " is ", " if ", " else ", "range(", "999999999", "lookup(", "'env'", "'file'", "'/etc/passwd'", "constructor", "__proto__",
  "prototype", "__class__", "attr(", "default", "join", "replace", "regex_replace(", "'(a+)+$'", "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'",
  "combine", "dict(", "=", "{{", "}}", "{%", "%}", "for y in ", "endfor", "set ", "\\", "\u0000",
];
// `~regex` is the operator's own regular expression, run by JavaScript's backtracking engine as
// Python's runs Ansible's: a catastrophic one like `~(a+)+$` hangs both (docs/security.md).
const PATTERN_FRAGMENTS = ["all", "web", "node1", "node*", "~", "~node.", "~(web|db)", "(", ")", "+", "$", ":", ",", "&", "!", "[0]", "[1:3]", "[-1]", "[", "]", "*", "@", "?", "\\", " ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"];

describe("random input ends in a value or a positioned KplayError, in bounded time", () => {
  it("INI inventory reader", () => {
    fc.assert(
      fc.property(text(INI_FRAGMENTS, 40), (input) => {
        bounded("ini", () => expectPositionedErrors(() => parseIniSource(input, "fuzz.ini", new InventoryGraph())));
      }),
      { numRuns: 1500 },
    );
  });

  it("YAML inventory reader", () => {
    const input = fc.oneof(text(YAML_FRAGMENTS, 40), yamlStructure.map((v) => stringify(v)));
    fc.assert(
      fc.property(input, (yamlText) => {
        bounded("yaml", () =>
          expectPositionedErrors(() => {
            // As the loader does: only a well-formed mapping is read as an inventory.
            const file = loadYamlFile(yamlText, "fuzz.yml");
            return file.errors.length > 0 || !isYamlInventory(file.value) ? file.errors : parseYamlSource(file, new InventoryGraph()).errors;
          }),
        );
      }),
      { numRuns: 1500 },
    );
  });

  it("expression parser and evaluator", () => {
    fc.assert(
      fc.property(text(EXPR_FRAGMENTS, 20), (input) => {
        bounded("expression", () => {
          for (const run of [() => evaluate(input, vars, { position }), () => renderString(`a {{ ${input} }}`, vars, { position })]) {
            const { error } = outcome(run);
            if (error) expect(error.context.position, error.message).toBeDefined();
          }
          expect((globalThis as Global)[CANARY]).toBe("untouched");
        });
      }),
      { numRuns: 2000 },
    );
  });

  it("host-pattern parser", () => {
    const inventory = loadInventory(["node1,node2,web1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"]).inventory;
    fc.assert(
      fc.property(text(PATTERN_FRAGMENTS, 12), (pattern) => {
        // A pattern comes from the command line or a play's `hosts:`, whose caller adds the position.
        bounded("pattern", () => {
          const { value } = outcome(() => resolvePattern(inventory, pattern));
          if (value !== undefined) expect(Array.isArray(value)).toBe(true);
        });
      }),
      { numRuns: 1500 },
    );
  });
});
