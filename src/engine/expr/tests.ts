// The tests used with `is` / `is not` (Jinja's and Ansible's), and by select/reject.
import { pyRegex } from "./filters/regex.js";
import { contains } from "./operators.js";
import { param, type TestTable } from "./plugin-types.js";
import {
  isMapping, isOmit, isUndefined, mappingGet, mappingHas, mappingKeys, pyCompare, pyEquals, pyStr, truthy,
} from "./values.js";
import { versionTest } from "./version.js";

function regexTest(kind: "match" | "search" | "fullmatch") {
  return (input: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean => {
    const re = pyRegex(param(args, kwargs, 0, "pattern"), {
      ignorecase: Boolean(param(args, kwargs, 1, "ignorecase", false)),
      multiline: Boolean(param(args, kwargs, 2, "multiline", false)),
      extraFlags: kind === "search" ? "" : "y",
    });
    const text = pyStr(input);
    const m = re.exec(text);
    return m !== null && (kind !== "fullmatch" || m[0].length === text.length);
  };
}

/** A registered result's field; loops count when any item has it. */
function resultFlag(result: unknown, field: "changed" | "failed" | "skipped"): boolean {
  if (!isMapping(result)) return false;
  if (mappingHas(result, field)) return truthy(mappingGet(result, field));
  const items = mappingGet(result, "results");
  if (!Array.isArray(items) || items.length === 0) return false;
  return field === "skipped" ? items.every((r) => resultFlag(r, field)) : items.some((r) => resultFlag(r, field));
}

const isNumber = (v: unknown): boolean => typeof v === "number";
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : isMapping(v) ? mappingKeys(v) : [v]);

export const tests: TestTable = {
  defined: { acceptsUndefined: true, fn: (v) => !isUndefined(v) },
  undefined: { acceptsUndefined: true, fn: (v) => isUndefined(v) },
  none: { acceptsUndefined: true, fn: (v) => v === null },
  string: { acceptsUndefined: true, fn: (v) => typeof v === "string" },
  number: { acceptsUndefined: true, fn: isNumber },
  integer: { acceptsUndefined: true, fn: (v) => typeof v === "number" && Number.isInteger(v) },
  float: { acceptsUndefined: true, fn: (v) => typeof v === "number" && !Number.isInteger(v) },
  boolean: { acceptsUndefined: true, fn: (v) => typeof v === "boolean" },
  mapping: { acceptsUndefined: true, fn: (v) => isMapping(v) },
  sequence: { acceptsUndefined: true, fn: (v) => typeof v === "string" || Array.isArray(v) || isMapping(v) },
  iterable: { acceptsUndefined: true, fn: (v) => typeof v === "string" || Array.isArray(v) || isMapping(v) },
  list: { acceptsUndefined: true, fn: (v) => Array.isArray(v) },
  omit: { acceptsUndefined: true, fn: (v) => isOmit(v) },
  true: (v) => v === true,
  false: (v) => v === false,
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  lower: (v) => typeof v === "string" && v === v.toLowerCase(),
  upper: (v) => typeof v === "string" && v === v.toUpperCase(),
  even: (v) => typeof v === "number" && v % 2 === 0,
  odd: (v) => typeof v === "number" && Math.abs(v % 2) === 1,
  divisibleby: (v, args) => typeof v === "number" && typeof args[0] === "number" && v % args[0] === 0,
  match: regexTest("match"),
  search: regexTest("search"),
  regex: (v, args, kwargs) => {
    const kind = pyStr(param(args, kwargs, 3, "match_type", "search"));
    return regexTest(kind === "match" ? "match" : kind === "fullmatch" ? "fullmatch" : "search")(v, args, kwargs);
  },
  version: (v, args, kwargs) =>
    versionTest(v, param(args, kwargs, 0, "version"), param(args, kwargs, 1, "operator", "eq"),
      param(args, kwargs, 2, "strict", false), param(args, kwargs, 3, "version_type", null)),
  in: (v, args) => contains(args[0], v),
  contains: (v, args) => contains(v, args[0]),
  eq: (v, args) => pyEquals(v, args[0]),
  ne: (v, args) => !pyEquals(v, args[0]),
  lt: (v, args) => pyCompare(v, args[0]) < 0,
  le: (v, args) => pyCompare(v, args[0]) <= 0,
  gt: (v, args) => pyCompare(v, args[0]) > 0,
  ge: (v, args) => pyCompare(v, args[0]) >= 0,
  // `sameas` is Python identity: the same for None/booleans, equal-and-same-type otherwise.
  sameas: (v, args) => v === args[0],
  subset: (v, args) => asList(v).every((x) => asList(args[0]).some((y) => pyEquals(x, y))),
  superset: (v, args) => asList(args[0]).every((x) => asList(v).some((y) => pyEquals(x, y))),
  any: (v) => asList(v).some(truthy),
  all: (v) => asList(v).every(truthy),
  succeeded: (v) => !resultFlag(v, "failed"),
  failed: (v) => resultFlag(v, "failed"),
  changed: (v) => resultFlag(v, "changed"),
  skipped: (v) => resultFlag(v, "skipped"),
  unreachable: (v) => isMapping(v) && truthy(mappingGet(v, "unreachable") ?? false),
  reachable: (v) => !(isMapping(v) && truthy(mappingGet(v, "unreachable") ?? false)),
};

/** Other names for the same tests. */
export const testAliases: Record<string, string> = {
  version_compare: "version",
  equalto: "eq",
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
  lessthan: "lt",
  greaterthan: "gt",
  success: "succeeded",
  failure: "failed",
  change: "changed",
  skip: "skipped",
  issubset: "subset",
  issuperset: "superset",
  mapping_type: "mapping",
};
