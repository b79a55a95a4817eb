// The items a task loops over: `loop:` as given, or a `with_<lookup>:` applied to its terms.
import { KplayError } from "../errors.js";

type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function flatten(v: unknown, depth: number): unknown[] {
  if (!Array.isArray(v)) return [v];
  return depth === 0 ? v : v.flatMap((x) => (Array.isArray(x) ? flatten(x, depth - 1) : [x]));
}

function product(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

/** Ansible's with_* lookups over already-rendered terms. */
const LOOKUPS: Record<string, (terms: unknown) => unknown[]> = {
  // with_items flattens one level; a single string is one item.
  items: (t) => (Array.isArray(t) ? flatten(t, 1) : [t]),
  list: (t) => (Array.isArray(t) ? t : [t]),
  flattened: (t) => flatten(t, Infinity),
  dict: (t) => {
    if (!isDict(t)) throw new Error("with_dict expects a dict");
    return Object.entries(t).map(([key, value]) => ({ key, value }));
  },
  indexed_items: (t) => (Array.isArray(t) ? flatten(t, 1) : [t]).map((x, i) => [i, x]),
  nested: (t) => product((Array.isArray(t) ? t : [t]).map((l) => (Array.isArray(l) ? l : [l]))),
  together: (t) => {
    const lists = (Array.isArray(t) ? t : [t]).map((l) => (Array.isArray(l) ? l : [l]));
    const n = Math.max(0, ...lists.map((l) => l.length));
    return Array.from({ length: n }, (_, i) => lists.map((l) => l[i] ?? null));
  },
};

export function loopItems(rendered: unknown, lookup: string | undefined, taskName: string): unknown[] {
  if (lookup !== undefined && lookup !== "loop") {
    const fn = LOOKUPS[lookup];
    if (!fn) {
      throw new KplayError({
        kind: "runtime",
        message: `with_${lookup} is not supported`,
        hint: `use loop: with a filter; supported: ${Object.keys(LOOKUPS).map((k) => `with_${k}`).join(", ")}`,
        task: taskName,
      });
    }
    try {
      return fn(rendered);
    } catch (e) {
      throw new KplayError({ kind: "runtime", message: (e as Error).message, task: taskName });
    }
  }
  if (!Array.isArray(rendered)) {
    throw new KplayError({
      kind: "runtime",
      message: `Invalid data passed to 'loop', it requires a list, got this instead: ${JSON.stringify(rendered)}`,
      hint: "Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.",
      task: taskName,
    });
  }
  return rendered;
}
