// Global functions: range, dict, lookup/query (env, file, vars, list, items, dict).
// Lookups run on the control machine and only read: none runs a command.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { didYouMean, exprError } from "./errors.js";
import { MAX_SEQUENCE_LENGTH } from "./limits.js";
import type { EvalOptions } from "./options.js";
import {
  Undefined, defined, isMapping, mappingGet, mappingHas, mappingKeys, pyStr, setOwn, type Dict, type LazyMapping,
} from "./values.js";

export interface FunctionContext {
  vars: LazyMapping | Dict;
  options: EvalOptions;
}

type GlobalFn = (args: unknown[], kwargs: Dict, ctx: FunctionContext) => unknown;
type Lookup = (terms: unknown[], kwargs: Dict, ctx: FunctionContext) => unknown[];

function intArg(v: unknown, what: string): number {
  v = defined(v);
  if (typeof v !== "number" || !Number.isInteger(v)) throw exprError(`range: ${what} must be an integer, got ${pyStr(v)}`);
  return v;
}

function range(args: unknown[]): number[] {
  const [start, stop, step] =
    args.length === 1 ? [0, intArg(args[0], "stop"), 1]
    : [intArg(args[0], "start"), intArg(args[1], "stop"), args.length > 2 ? intArg(args[2], "step") : 1];
  if (step === 0) throw exprError("range: step must not be zero");
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (count > MAX_SEQUENCE_LENGTH) throw exprError(`range: ${count} items is more than the limit of ${MAX_SEQUENCE_LENGTH}`);
  return Array.from({ length: count }, (_, i) => start + i * step);
}

/** Where a relative file is looked for: the caller's list, or Ansible's role/playbook order. */
function searchPaths(ctx: FunctionContext): string[] {
  if (ctx.options.searchPaths) return [...ctx.options.searchPaths];
  const dir = (name: string): string | undefined => {
    const v = mappingHas(ctx.vars, name) ? mappingGet(ctx.vars, name) : undefined;
    return typeof v === "string" && v !== "" ? v : undefined;
  };
  const paths: string[] = [];
  for (const base of [dir("role_path"), dir("playbook_dir")]) if (base) paths.push(join(base, "files"), base);
  paths.push(process.cwd());
  return paths;
}

function readLookupFile(term: unknown, kwargs: Dict, ctx: FunctionContext): string {
  const name = pyStr(term);
  const candidates = isAbsolute(name) ? [name] : searchPaths(ctx).map((dir) => resolve(dir, name));
  const path = candidates.find((c) => existsSync(c));
  let text: string;
  try {
    if (!path) throw new Error("not found");
    text = readFileSync(path, "utf8");
  } catch {
    throw exprError(`lookup('file'): could not find or read '${name}'`, `looked in: ${candidates.join(", ")}`);
  }
  if (kwargs.rstrip !== false) text = text.replace(/\s+$/, "");
  if (kwargs.lstrip === true) text = text.replace(/^\s+/, "");
  return text;
}

const LOOKUPS: Record<string, Lookup> = {
  env: (terms, kwargs) => terms.map((t) => process.env[pyStr(t)] ?? (kwargs.default === undefined ? "" : kwargs.default)),
  file: (terms, kwargs, ctx) => terms.map((t) => readLookupFile(t, kwargs, ctx)),
  vars: (terms, kwargs, ctx) =>
    terms.map((t) => {
      const name = pyStr(t);
      if (mappingHas(ctx.vars, name)) return mappingGet(ctx.vars, name);
      if (kwargs.default !== undefined) return kwargs.default;
      return new Undefined(name);
    }),
  list: (terms) => terms,
  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  dict: (terms) =>
    terms.flatMap((t) => {
      t = defined(t);
      if (!isMapping(t)) throw exprError("lookup('dict') expects a dict");
      return mappingKeys(t).map((key) => ({ key, value: mappingGet(t as Dict, key) }));
    }),
};

function runLookup(args: unknown[], kwargs: Dict, ctx: FunctionContext): unknown[] {
  const [name, ...terms] = args.map(defined);
  const plugin = pyStr(name).replace(/^ansible\.builtin\./, "");
  const lookup = Object.prototype.hasOwnProperty.call(LOOKUPS, plugin) ? LOOKUPS[plugin] : undefined;
  if (!lookup) throw exprError(`no lookup named '${pyStr(name)}'`, didYouMean(plugin, Object.keys(LOOKUPS)));
  return lookup(terms, kwargs, ctx);
}

export const GLOBAL_FUNCTIONS: Record<string, GlobalFn> = {
  range: (args) => range(args),
  dict: (_args, kwargs) => {
    const out: Dict = {};
    for (const [k, v] of Object.entries(kwargs)) setOwn(out, k, v);
    return out;
  },
  lookup: (args, kwargs, ctx) => {
    const { wantlist, ...rest } = kwargs;
    const results = runLookup(args, rest, ctx);
    if (wantlist) return results;
    // Ansible joins string results with commas; a single non-string result stays itself.
    if (results.every((r) => typeof r === "string")) return results.join(",");
    return results.length === 1 ? results[0] : results;
  },
  query: (args, kwargs, ctx) => runLookup(args, kwargs, ctx),
};
GLOBAL_FUNCTIONS.q = GLOBAL_FUNCTIONS.query;
