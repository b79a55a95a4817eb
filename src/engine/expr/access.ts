// Attribute and index access, the evaluator's only way into values. It reads own enumerable data
// of plain objects and arrays, characters of strings, entries of lazy mappings, and a whitelist of
// methods; JS internals (`constructor`, `__proto__`, prototypes) are refused outright.
import { Callable } from "./callable.js";
import { exprError } from "./errors.js";
import { pyCapitalize, pyRsplit, pySplit, pyStrip, pyTitle } from "./pystr.js";
import {
  Undefined, defined, isMapping, isUndefined, mappingGet, mappingHas, mappingKeys, pyEquals, pyRepr, pyStr,
  type Dict, type LazyMapping,
} from "./values.js";

const FORBIDDEN_NAMES = new Set([
  "__proto__", "constructor", "prototype", "__defineGetter__", "__defineSetter__", "__lookupGetter__",
  "__lookupSetter__", "caller", "callee", "arguments",
]);

/** Refuses names that lead to JS internals; Python dunders (`__class__`) are refused alike. */
export function assertSafeName(name: string): void {
  if (FORBIDDEN_NAMES.has(name) || /^__.*__$/.test(name)) {
    throw exprError(`access to '${name}' is not allowed`, "expressions can only read data and whitelisted methods");
  }
}

type Method = (self: never, args: unknown[], kwargs: Dict) => unknown;

const optStr = (v: unknown): string | null => (v === undefined || v === null ? null : pyStr(v));
const optInt = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);
const prefixes = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => pyStr(x)) : [pyStr(v)]);

const STRING_METHODS: Record<string, (s: string, a: unknown[], kw: Dict) => unknown> = {
  split: (s, a, kw) => pySplit(s, optStr(a[0] ?? kw.sep), optInt(a[1] ?? kw.maxsplit, -1)),
  rsplit: (s, a, kw) => pyRsplit(s, optStr(a[0] ?? kw.sep), optInt(a[1] ?? kw.maxsplit, -1)),
  splitlines: (s) => s.split(/\r\n|\r|\n/).filter((line, i, all) => i < all.length - 1 || line !== ""),
  startswith: (s, a) => prefixes(a[0]).some((p) => s.startsWith(p)),
  endswith: (s, a) => prefixes(a[0]).some((p) => s.endsWith(p)),
  strip: (s, a) => pyStrip(s, optStr(a[0])),
  lstrip: (s, a) => pyStrip(s, optStr(a[0]), "left"),
  rstrip: (s, a) => pyStrip(s, optStr(a[0]), "right"),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  capitalize: (s) => pyCapitalize(s),
  title: (s) => pyTitle(s),
  replace: (s, a) => {
    const [from, to, count] = [pyStr(a[0]), pyStr(a[1]), optInt(a[2], -1)];
    if (count < 0) return s.split(from).join(to);
    const parts = s.split(from);
    return parts.slice(0, count + 1).join(to) + (parts.length > count + 1 ? from + parts.slice(count + 1).join(from) : "");
  },
  join: (s, a) => iterate(a[0]).map((x) => pyStr(x)).join(s),
  find: (s, a) => s.indexOf(pyStr(a[0])),
  rfind: (s, a) => s.lastIndexOf(pyStr(a[0])),
  count: (s, a) => (a[0] === "" ? s.length + 1 : s.split(pyStr(a[0])).length - 1),
  isdigit: (s) => /^\d+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isalnum: (s) => /^[A-Za-z0-9]+$/.test(s),
  islower: (s) => /[a-z]/.test(s) && s === s.toLowerCase(),
  isupper: (s) => /[A-Z]/.test(s) && s === s.toUpperCase(),
  zfill: (s, a) => s.padStart(optInt(a[0], 0), "0"),
};

const LIST_METHODS: Record<string, (l: unknown[], a: unknown[]) => unknown> = {
  index: (l, a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]));
    if (i < 0) throw exprError(`${pyRepr(a[0])} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((x) => pyEquals(x, a[0])).length,
};

const DICT_METHODS: Record<string, (d: Dict | LazyMapping, a: unknown[]) => unknown> = {
  keys: (d) => mappingKeys(d),
  values: (d) => mappingKeys(d).map((k) => mappingGet(d, k)),
  items: (d) => mappingKeys(d).map((k) => [k, mappingGet(d, k)]),
  get: (d, a) => {
    const key = pyStr(a[0]);
    return mappingHas(d, key) ? mappingGet(d, key) : (a[1] ?? null);
  },
};

function methodTable(v: unknown): Record<string, Method> | undefined {
  if (typeof v === "string") return STRING_METHODS as Record<string, Method>;
  if (Array.isArray(v)) return LIST_METHODS as Record<string, Method>;
  if (isMapping(v)) return DICT_METHODS as Record<string, Method>;
  return undefined;
}

function boundMethod(v: unknown, name: string): Callable | undefined {
  const table = methodTable(v);
  if (!table || !Object.prototype.hasOwnProperty.call(table, name)) return undefined;
  const method = table[name];
  return new Callable(name, (args, kwargs) => method(v as never, args.map(defined), kwargs));
}

/** Iterates a value the way Python's `for` does: lists, dict keys, string characters. */
export function iterate(v: unknown): unknown[] {
  v = defined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [...v];
  if (isMapping(v)) return mappingKeys(v);
  throw exprError(`'${typeNameForIter(v)}' object is not iterable`);
}

function typeNameForIter(v: unknown): string {
  return v === null ? "NoneType" : typeof v === "number" ? "int" : typeof v === "boolean" ? "bool" : "object";
}

/** Path text for error messages: `groups['etcd'][0]`. */
export function itemPath(parent: string, key: unknown): string {
  return `${parent}[${pyRepr(key)}]`;
}

function missingFrom(obj: unknown, childPath: string, parentPath: string): Undefined {
  if (obj === null) return new Undefined(childPath, `'${parentPath}' is None`);
  if (isUndefined(obj)) return new Undefined(childPath, obj.reason ?? `'${obj.path}' is undefined`);
  return new Undefined(childPath);
}

function lookupItem(obj: unknown, key: unknown): unknown {
  if (typeof key === "string") assertSafeName(key);
  if (isMapping(obj)) {
    const k = typeof key === "string" ? key : typeof key === "number" ? String(key) : undefined;
    return k !== undefined && mappingHas(obj, k) ? mappingGet(obj, k) : undefined;
  }
  if ((Array.isArray(obj) || typeof obj === "string") && typeof key === "number" && Number.isInteger(key)) {
    const i = key < 0 ? obj.length + key : key;
    return i >= 0 && i < obj.length ? obj[i] : undefined;
  }
  return undefined;
}

/** `obj.name`: a whitelisted method first, then the item (Jinja's getattr order). */
export function getAttribute(obj: unknown, name: string, parentPath: string): unknown {
  assertSafeName(name);
  const path = `${parentPath}.${name}`;
  const method = boundMethod(obj, name);
  if (method) return method;
  const v = lookupItem(obj, name);
  return v === undefined ? missingFrom(obj, path, parentPath) : v;
}

/** `obj[key]`: the item first, then a whitelisted method (Jinja's getitem order). */
export function getItem(obj: unknown, key: unknown, parentPath: string): unknown {
  key = defined(key);
  const path = itemPath(parentPath, key);
  const v = lookupItem(obj, key);
  if (v !== undefined) return v;
  const method = typeof key === "string" ? boundMethod(obj, key) : undefined;
  return method ?? missingFrom(obj, path, parentPath);
}

function sliceIndex(v: unknown, what: string): number | undefined {
  v = defined(v);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw exprError(`slice ${what} must be an integer`);
  return v;
}

/** Python slicing `seq[lower:upper:step]` on lists and strings. */
export function getSlice(obj: unknown, lower: unknown, upper: unknown, step: unknown): unknown {
  obj = defined(obj);
  if (!Array.isArray(obj) && typeof obj !== "string") throw exprError(`cannot slice a ${typeof obj}`);
  const seq: unknown[] = Array.isArray(obj) ? obj : [...obj];
  const n = seq.length;
  const st = sliceIndex(step, "step") ?? 1;
  if (st === 0) throw exprError("slice step cannot be zero");
  const clamp = (i: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (i === undefined) return dflt;
    const j = i < 0 ? i + n : i;
    return Math.min(Math.max(j, lo), hi);
  };
  const out: unknown[] = [];
  if (st > 0) {
    const from = clamp(sliceIndex(lower, "start"), 0, 0, n);
    const to = clamp(sliceIndex(upper, "end"), n, 0, n);
    for (let i = from; i < to; i += st) out.push(seq[i]);
  } else {
    const from = clamp(sliceIndex(lower, "start"), n - 1, -1, n - 1);
    const to = clamp(sliceIndex(upper, "end"), -1, -1, n - 1);
    for (let i = from; i > to; i += st) out.push(seq[i]);
  }
  return typeof obj === "string" ? out.join("") : out;
}
