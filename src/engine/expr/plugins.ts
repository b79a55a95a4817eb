// Finds filters and tests by name: collection prefixes (`ansible.builtin.`, `ansible.utils.` ...)
// are accepted, aliases resolved, and an unknown name suggests the closest known one.
import { didYouMean, exprError } from "./errors.js";
import { coreFilters } from "./filters/core.js";
import { collectionFilters } from "./filters/collections.js";
import { ipaddrFilters } from "./filters/ipaddr.js";
import { regexFilters } from "./filters/regex.js";
import { serializeFilters } from "./filters/serialize.js";
import { stringFilters } from "./filters/strings.js";
import type { FilterFn, PluginDef, TestFn } from "./plugin-types.js";
import { testAliases, tests } from "./tests.js";

const COLLECTION_PREFIXES = ["ansible.builtin.", "ansible.utils.", "ansible.netcommon.", "community.general."];

const filterAliases: Record<string, string> = { d: "default", count: "length" };

function normalize<F>(table: Record<string, F | PluginDef<F>>): Map<string, PluginDef<F>> {
  return new Map(
    Object.entries(table).map(([name, f]) => [name, typeof f === "function" ? { fn: f as F } : (f as PluginDef<F>)]),
  );
}

const FILTERS = normalize<FilterFn>({
  ...coreFilters, ...stringFilters, ...regexFilters, ...collectionFilters, ...serializeFilters, ...ipaddrFilters,
});
const TESTS = normalize<TestFn>(tests);

function stripPrefix(name: string): string {
  const prefix = COLLECTION_PREFIXES.find((p) => name.startsWith(p));
  return prefix ? name.slice(prefix.length) : name;
}

function find<F>(kind: "filter" | "test", name: string, table: Map<string, PluginDef<F>>, aliases: Record<string, string>): PluginDef<F> {
  const bare = stripPrefix(name);
  const canonical = Object.prototype.hasOwnProperty.call(aliases, bare) ? aliases[bare] : bare;
  const def = table.get(canonical);
  if (def) return def;
  throw exprError(`no ${kind} named '${name}'`, didYouMean(bare, [...table.keys(), ...Object.keys(aliases)]));
}

export function findFilter(name: string): PluginDef<FilterFn> {
  return find("filter", name, FILTERS, filterAliases);
}

export function findTest(name: string): PluginDef<TestFn> {
  return find("test", name, TESTS, testAliases);
}

/** Every filter name, aliases included (for documentation and completion). */
export function filterNames(): string[] {
  return [...FILTERS.keys(), ...Object.keys(filterAliases)].sort();
}

export function testNames(): string[] {
  return [...TESTS.keys(), ...Object.keys(testAliases)].sort();
}
