// The value model the evaluator works with: JSON-like data (strings, numbers, booleans, null,
// arrays, plain objects) plus three special kinds: Undefined (a missing variable that fails only
// when used), OMIT (Ansible's `omit`) and LazyMapping (dict-like objects resolved on access, such
// as `hostvars` or a variable scope). Python/Jinja semantics (truthiness, equality, str()) live here.
import { KplayError } from "../errors.js";

/** A dict whose entries are computed when read (hostvars, a host's variable scope). */
export interface LazyMapping {
  readonly lazyMapping: true;
  /** The entry's value, or JS `undefined` when there is no such key. */
  get(key: string): unknown;
  has(key: string): boolean;
  keys(): string[];
}

export function isLazyMapping(v: unknown): v is LazyMapping {
  return typeof v === "object" && v !== null && (v as { lazyMapping?: unknown }).lazyMapping === true;
}

/** A missing variable or attribute. Tests (`is defined`) and `default` accept it; any other use fails. */
export class Undefined {
  /** How the user wrote it: `kube_version`, `hostvars['node1'].ip`. */
  readonly path: string;
  /** Why it is undefined when it is not simply missing ("'x' is None"). */
  readonly reason?: string;
  constructor(path: string, reason?: string) {
    this.path = path;
    this.reason = reason;
  }
  toError(): KplayError {
    return new KplayError({ kind: "variable", message: `'${this.path}' is undefined`, hint: this.reason });
  }
}

export function isUndefined(v: unknown): v is Undefined {
  return v instanceof Undefined;
}

/** Ansible's `omit`: a module argument whose value is OMIT is dropped before the module runs. */
export const OMIT: unique symbol = Symbol("kplay.omit");

export function isOmit(v: unknown): v is typeof OMIT {
  return v === OMIT;
}

export type Dict = Record<string, unknown>;

/** A plain data object (from YAML/JSON or built by the evaluator), never a class instance or function. */
export function isPlainObject(v: unknown): v is Dict {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function isMapping(v: unknown): v is Dict | LazyMapping {
  return isPlainObject(v) || isLazyMapping(v);
}

export function mappingKeys(v: Dict | LazyMapping): string[] {
  return isLazyMapping(v) ? v.keys() : Object.keys(v);
}

export function mappingGet(v: Dict | LazyMapping, key: string): unknown {
  if (isLazyMapping(v)) return v.get(key);
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

export function mappingHas(v: Dict | LazyMapping, key: string): boolean {
  return isLazyMapping(v) ? v.has(key) : Object.prototype.hasOwnProperty.call(v, key);
}

/** Resolves every entry of a lazy mapping into a plain object (for to_json, combine, ...). */
export function toPlainMapping(v: Dict | LazyMapping): Dict {
  if (!isLazyMapping(v)) return v;
  const out: Dict = {};
  for (const k of v.keys()) setOwn(out, k, v.get(k));
  return out;
}

/** Python's type name, used in error messages users recognise from Ansible. */
export function typeName(v: unknown): string {
  if (v === null) return "NoneType";
  if (isUndefined(v)) return "Undefined";
  if (isOmit(v)) return "omit";
  switch (typeof v) {
    case "string":
      return "str";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
  }
  if (Array.isArray(v)) return "list";
  if (isMapping(v)) return "dict";
  return "object";
}

/** Throws the undefined-variable error when a value is Undefined; returns it otherwise. */
export function defined<T>(v: T): Exclude<T, Undefined> {
  if (v instanceof Undefined) throw v.toError();
  return v as Exclude<T, Undefined>;
}

/** Jinja truthiness; using an Undefined in a condition is an error, as in Ansible. */
export function truthy(v: unknown): boolean {
  v = defined(v);
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === "number") return v !== 0 && !Number.isNaN(v);
  if (typeof v === "string") return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMapping(v)) return mappingKeys(v).length > 0;
  return true;
}

/** Python equality: deep for lists and dicts, True == 1. */
export function pyEquals(a: unknown, b: unknown): boolean {
  a = defined(a);
  b = defined(b);
  if (a === b) return true;
  if (typeof a === "boolean" && typeof b === "number") return Number(a) === b;
  if (typeof a === "number" && typeof b === "boolean") return a === Number(b);
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  if (isMapping(a) && isMapping(b)) {
    const ka = mappingKeys(a);
    if (ka.length !== mappingKeys(b).length) return false;
    return ka.every((k) => mappingHas(b, k) && pyEquals(mappingGet(a, k), mappingGet(b, k)));
  }
  return false;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return Number(v);
  return undefined;
}

/** Python ordering (<, >): numbers with numbers, strings with strings, lists element-wise. */
export function pyCompare(a: unknown, b: unknown): number {
  a = defined(a);
  b = defined(b);
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  throw new KplayError({
    kind: "expression",
    message: `cannot compare ${typeName(a)} with ${typeName(b)}`,
  });
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "nan";
  if (n === Infinity) return "inf";
  if (n === -Infinity) return "-inf";
  return String(n);
}

function quoteRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else out += ch;
  }
  return quote + out + quote;
}

/** Python repr(): how a value looks inside a rendered list or dict (`['a', 1, None]`). */
export function pyRepr(v: unknown): string {
  if (typeof v === "string") return quoteRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (isMapping(v)) {
    return `{${mappingKeys(v)
      .map((k) => `${quoteRepr(k)}: ${pyRepr(mappingGet(v, k))}`)
      .join(", ")}}`;
  }
  return pyStr(v);
}

/** Python str(): how a value is written into a template string (`True`, `None`, `['a']`). */
export function pyStr(v: unknown): string {
  v = defined(v);
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "number") return formatNumber(v);
  if (isOmit(v)) {
    throw new KplayError({
      kind: "expression",
      message: "`omit` cannot be written into a string",
      hint: "use omit as the whole value: \"{{ x | default(omit) }}\"",
    });
  }
  return pyRepr(v);
}

/** Ansible's boolean(): 'yes', 'on', 'true', '1', 1 ... are true; anything else is false. */
export function ansibleBoolean(v: unknown): boolean {
  if (typeof v === "boolean") return v;
  if (v === null || v === undefined) return false;
  const s = String(v).trim().toLowerCase();
  return ["y", "yes", "on", "1", "true", "t", "1.0"].includes(s);
}

/** The strings Ansible's boolean() recognises either way; others are not booleans at all. */
export function asAnsibleBooleanString(s: string): boolean | undefined {
  const n = s.trim().toLowerCase();
  if (["y", "yes", "on", "1", "true", "t"].includes(n)) return true;
  if (["n", "no", "off", "0", "false", "f", ""].includes(n)) return false;
  return undefined;
}

/** Sets a key as own data, so a key named `__proto__` cannot change the object's prototype. */
export function setOwn(obj: Dict, key: string, value: unknown): void {
  // `__proto__` is the only accessor plain objects inherit; every other key assigns as own data.
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
