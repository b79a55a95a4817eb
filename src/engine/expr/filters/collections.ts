// Filters on lists and dicts: join, first/last, sort, unique, set operations, map/select,
// combine, dict2items/items2dict, flatten, zip, dictsort, extract.
import { getItem, iterate } from "../access.js";
import { exprError } from "../errors.js";
import { param, type FilterTable, type PluginContext } from "../plugin-types.js";
import {
  Undefined, defined, isMapping, isUndefined, mappingGet, mappingKeys, pyCompare, pyEquals, pyStr,
  setOwn, toPlainMapping, type Dict,
} from "../values.js";

/** Jinja's attribute getter: `a.b.0` walks items, numbers index lists. */
export function attributePath(obj: unknown, attribute: unknown): unknown {
  const parts = typeof attribute === "number" ? [attribute] : pyStr(attribute).split(".");
  let current = obj;
  let path = "item";
  for (const raw of parts) {
    const key = typeof raw === "string" && /^\d+$/.test(raw) && Array.isArray(current) ? Number(raw) : raw;
    if (isUndefined(current)) return current;
    current = getItem(current, key, path);
    path += `[${JSON.stringify(key)}]`;
  }
  return current;
}

function sortKey(v: unknown, caseSensitive: boolean): unknown {
  return !caseSensitive && typeof v === "string" ? v.toLowerCase() : v;
}

function sorted(items: unknown[], keyOf: (x: unknown) => unknown, reverse: boolean): unknown[] {
  const keyed = items.map((x) => ({ x, k: keyOf(x) }));
  keyed.sort((a, b) => pyCompare(a.k, b.k) * (reverse ? -1 : 1));
  return keyed.map((e) => e.x);
}

function uniqueOf(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of items) if (!out.some((y) => pyEquals(x, y))) out.push(x);
  return out;
}

const has = (list: unknown[], x: unknown): boolean => list.some((y) => pyEquals(x, y));

function flatten(items: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of items) {
    if (skipNulls && (x === null || x === "None")) continue;
    if (Array.isArray(x) && (levels === null || levels > 0)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

type ListMerge = "replace" | "keep" | "append" | "prepend" | "append_rp" | "prepend_rp";

function mergeLists(a: unknown[], b: unknown[], how: ListMerge): unknown[] {
  switch (how) {
    case "replace": return b;
    case "keep": return a;
    case "append": return [...a, ...b];
    case "prepend": return [...b, ...a];
    case "append_rp": return [...a.filter((x) => !has(b, x)), ...b];
    case "prepend_rp": return [...b, ...a.filter((x) => !has(b, x))];
  }
}

/** Ansible's combine: later dicts win; `recursive` merges nested dicts. */
function combine(a: Dict, b: Dict, recursive: boolean, listMerge: ListMerge): Dict {
  const out: Dict = {};
  for (const [k, v] of Object.entries(a)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(b)) {
    const old = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    if (recursive && isMapping(old) && isMapping(v)) setOwn(out, k, combine(toPlainMapping(old), toPlainMapping(v), true, listMerge));
    else if (Array.isArray(old) && Array.isArray(v)) setOwn(out, k, mergeLists(old, v, listMerge));
    else setOwn(out, k, v);
  }
  return out;
}

function asDict(v: unknown, filter: string): Dict {
  v = defined(v);
  if (!isMapping(v)) throw exprError(`${filter} expects a dict, got ${typeof v === "object" ? "a list" : pyStr(v)}`);
  return toPlainMapping(v);
}

function asList(v: unknown, filter: string): unknown[] {
  v = defined(v);
  if (Array.isArray(v)) return v;
  if (typeof v === "string" || isMapping(v)) return iterate(v);
  throw exprError(`${filter} expects a list, got ${pyStr(v)}`);
}

/** The test applied by select/reject/selectattr/rejectattr: a named test, or truthiness. */
function checker(ctx: PluginContext, args: unknown[], kwargs: Dict): (x: unknown) => boolean {
  if (args.length === 0) return (x) => ctx.applyTest("truthy", x);
  const [name, ...rest] = args;
  return (x) => ctx.applyTest(pyStr(name), x, rest, kwargs);
}

function extreme(input: unknown, args: unknown[], kwargs: Dict, sign: 1 | -1): unknown {
  const items = asList(input, sign > 0 ? "max" : "min");
  if (items.length === 0) return new Undefined("item", "the sequence was empty");
  const attribute = param(args, kwargs, 1, "attribute", null);
  const caseSensitive = Boolean(param(args, kwargs, 0, "case_sensitive", false));
  const key = (x: unknown): unknown => sortKey(attribute === null ? x : attributePath(x, attribute), caseSensitive);
  return items.reduce((best, x) => (pyCompare(key(x), key(best)) * sign > 0 ? x : best));
}

export const collectionFilters: FilterTable = {
  join: (input, args, kwargs) => {
    const attribute = param(args, kwargs, 1, "attribute", null);
    const items = asList(input, "join").map((x) => (attribute === null ? x : attributePath(x, attribute)));
    return items.map((x) => pyStr(x)).join(pyStr(param(args, kwargs, 0, "d", "")));
  },
  first: (input) => {
    const items = asList(input, "first");
    return items.length ? items[0] : new Undefined("first", "the sequence was empty");
  },
  last: (input) => {
    const items = asList(input, "last");
    return items.length ? items[items.length - 1] : new Undefined("last", "the sequence was empty");
  },
  list: (input) => [...asList(input, "list")],
  unique: (input) => uniqueOf(asList(input, "unique")),
  reverse: (input) => (typeof input === "string" ? [...input].reverse().join("") : [...asList(input, "reverse")].reverse()),
  sort: (input, args, kwargs) => {
    const reverse = Boolean(param(args, kwargs, 0, "reverse", false));
    const caseSensitive = Boolean(param(args, kwargs, 1, "case_sensitive", false));
    const attribute = param(args, kwargs, 2, "attribute", null);
    const attrs = attribute === null ? [] : pyStr(attribute).split(",").map((a) => a.trim());
    const keyOf = (x: unknown): unknown =>
      attrs.length === 0 ? sortKey(x, caseSensitive)
      : attrs.length === 1 ? sortKey(attributePath(x, attrs[0]), caseSensitive)
      : attrs.map((a) => sortKey(attributePath(x, a), caseSensitive));
    return sorted(asList(input, "sort"), keyOf, reverse);
  },
  min: (input, args, kwargs) => extreme(input, args, kwargs, -1),
  max: (input, args, kwargs) => extreme(input, args, kwargs, 1),
  sum: (input, args, kwargs) => {
    const attribute = param(args, kwargs, 0, "attribute", null);
    const start = param<unknown>(args, kwargs, 1, "start", 0);
    return asList(input, "sum").reduce<unknown>((acc, x) => {
      const v = defined(attribute === null ? x : attributePath(x, attribute));
      if (Array.isArray(acc) && Array.isArray(v)) return [...acc, ...v];
      if (typeof acc !== "number" || typeof v !== "number") throw exprError(`sum: cannot add ${pyStr(v)}`);
      return acc + v;
    }, start);
  },
  map: (input, args, kwargs, ctx) => {
    const items = asList(input, "map");
    if (args.length === 0 && "attribute" in kwargs) {
      const fallback = kwargs.default;
      return items.map((x) => {
        const v = attributePath(x, kwargs.attribute);
        return isUndefined(v) && fallback !== undefined ? fallback : v;
      });
    }
    if (args.length === 0) throw exprError("map needs a filter name or attribute=");
    const [name, ...rest] = args;
    return items.map((x) => ctx.applyFilter(pyStr(name), x, rest, kwargs));
  },
  select: (input, args, kwargs, ctx) => asList(input, "select").filter(checker(ctx, args, kwargs)),
  reject: (input, args, kwargs, ctx) => {
    const test = checker(ctx, args, kwargs);
    return asList(input, "reject").filter((x) => !test(x));
  },
  selectattr: (input, args, kwargs, ctx) => {
    const [attribute, ...rest] = args;
    const test = checker(ctx, rest, kwargs);
    return asList(input, "selectattr").filter((x) => test(attributePath(x, attribute)));
  },
  rejectattr: (input, args, kwargs, ctx) => {
    const [attribute, ...rest] = args;
    const test = checker(ctx, rest, kwargs);
    return asList(input, "rejectattr").filter((x) => !test(attributePath(x, attribute)));
  },
  combine: (input, args, kwargs) => {
    const recursive = Boolean(kwargs.recursive ?? false);
    const listMerge = (kwargs.list_merge ?? "replace") as ListMerge;
    if (!["replace", "keep", "append", "prepend", "append_rp", "prepend_rp"].includes(listMerge)) {
      throw exprError(`combine: unknown list_merge '${pyStr(listMerge)}'`);
    }
    const dicts = flatten([input, ...args], null, false).map((d) => asDict(d, "combine"));
    return dicts.reduce((acc, d) => combine(acc, d, recursive, listMerge), {});
  },
  dict2items: (input, args, kwargs) => {
    const d = asDict(input, "dict2items");
    const [k, v] = [pyStr(param(args, kwargs, 0, "key_name", "key")), pyStr(param(args, kwargs, 1, "value_name", "value"))];
    return Object.entries(d).map(([key, value]) => {
      const item: Dict = {};
      setOwn(item, k, key);
      setOwn(item, v, value);
      return item;
    });
  },
  items2dict: (input, args, kwargs) => {
    const [k, v] = [pyStr(param(args, kwargs, 0, "key_name", "key")), pyStr(param(args, kwargs, 1, "value_name", "value"))];
    const out: Dict = {};
    for (const item of asList(input, "items2dict")) {
      const entry = asDict(item, "items2dict");
      setOwn(out, pyStr(defined(attributePath(entry, k))), defined(attributePath(entry, v)));
    }
    return out;
  },
  flatten: (input, args, kwargs) =>
    flatten(asList(input, "flatten"), param<number | null>(args, kwargs, 0, "levels", null), Boolean(param(args, kwargs, 1, "skip_nulls", true))),
  difference: (input, args) => {
    const other = asList(args[0], "difference");
    return uniqueOf(asList(input, "difference").filter((x) => !has(other, x)));
  },
  intersect: (input, args) => {
    const other = asList(args[0], "intersect");
    return uniqueOf(asList(input, "intersect").filter((x) => has(other, x)));
  },
  union: (input, args) => uniqueOf([...asList(input, "union"), ...asList(args[0], "union")]),
  symmetric_difference: (input, args) => {
    const [a, b] = [asList(input, "symmetric_difference"), asList(args[0], "symmetric_difference")];
    return uniqueOf([...a.filter((x) => !has(b, x)), ...b.filter((x) => !has(a, x))]);
  },
  zip: (input, args) => {
    const lists = [asList(input, "zip"), ...args.map((a) => asList(a, "zip"))];
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i]));
  },
  zip_longest: (input, args, kwargs) => {
    const lists = [asList(input, "zip_longest"), ...args.map((a) => asList(a, "zip_longest"))];
    const n = Math.max(...lists.map((l) => l.length));
    const fill = kwargs.fillvalue ?? null;
    return Array.from({ length: n }, (_, i) => lists.map((l) => (i < l.length ? l[i] : fill)));
  },
  dictsort: (input, args, kwargs) => {
    const d = asDict(input, "dictsort");
    const caseSensitive = Boolean(param(args, kwargs, 0, "case_sensitive", false));
    const by = pyStr(param(args, kwargs, 1, "by", "key"));
    const reverse = Boolean(param(args, kwargs, 2, "reverse", false));
    const index = by === "value" ? 1 : 0;
    return sorted(Object.entries(d), (e) => sortKey((e as unknown[])[index], caseSensitive), reverse);
  },
  /** Jinja's groupby: items sorted by the attribute, then `[value, [items]]` per distinct value. */
  groupby: (input, args, kwargs) => {
    const attribute = param(args, kwargs, 0, "attribute");
    const groups: Array<[unknown, unknown[]]> = [];
    for (const item of sorted(asList(input, "groupby"), (x) => defined(attributePath(x, attribute)), false)) {
      const key = attributePath(item, attribute);
      const last = groups[groups.length - 1];
      if (last && pyEquals(last[0], key)) last[1].push(item);
      else groups.push([key, [item]]);
    }
    return groups;
  },
  batch: (input, args, kwargs) => {
    const size = Number(param(args, kwargs, 0, "linecount"));
    if (!Number.isInteger(size) || size < 1) throw exprError("batch: the size must be a positive integer");
    const fill = param<unknown>(args, kwargs, 1, "fill_with");
    const items = asList(input, "batch");
    const out: unknown[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    const last = out[out.length - 1];
    if (last && fill !== undefined && fill !== null) while (last.length < size) last.push(fill);
    return out;
  },
  /** `groups['etcd'] | map('extract', hostvars, 'ip')`. */
  extract: (input, args) => {
    const [container, ...morekeys] = args;
    let v = getItem(defined(container), input, "container");
    for (const k of flatten(morekeys, null, false)) v = getItem(defined(v), k, pyStr(input));
    return v;
  },
  items: (input) => {
    const d = defined(input);
    if (!isMapping(d)) throw exprError("items expects a dict");
    return mappingKeys(d).map((k) => [k, mappingGet(d, k)]);
  },
};

