// Every expression filter as a Handlebars helper (`{{join servers ","}}`, `{{ipaddr cidr "net"}}`,
// keyword arguments as hash: `{{to_nice_yaml obj indent=2}}`), plus comparison and logic helpers
// for conditions (`{{#if (eq a b)}}`, `{{#if (and a (not b))}}`).
import type { HelperDelegate, HelperOptions } from "handlebars";
import { KplayError } from "../errors.js";
import { locate } from "../expr/errors.js";
import type { PluginContext } from "../expr/plugin-types.js";
import { filterNames } from "../expr/plugins.js";
import { Undefined, pyCompare, pyEquals, truthy } from "../expr/values.js";
import { toTemplateValue } from "./values.js";

/** What a render passes to helpers through Handlebars' `data`. */
export interface RenderData {
  plugins: PluginContext;
  file: string;
}

interface Options extends HelperOptions {
  name: string;
  ids?: Array<string | null>;
  loc?: { start: { line: number; column: number } };
  data: { kplay: RenderData };
}

function positionOf(options: Options): { file: string; line: number; column: number } | undefined {
  const loc = options.loc?.start;
  return loc && { file: options.data.kplay.file, line: loc.line, column: loc.column + 1 };
}

/** Params Handlebars could not find arrive as JS undefined; give them their name back. */
function withUndefinedNames(params: unknown[], options: Options): unknown[] {
  return params.map((p, i) => (p === undefined ? new Undefined(options.ids?.[i] ?? `argument ${i + 1} of ${options.name}`) : p));
}

function guarded<T>(options: Options, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw locate(e, positionOf(options));
  }
}

function filterHelper(name: string): HelperDelegate {
  return function (this: unknown, ...params: unknown[]) {
    const options = params.pop() as Options;
    return guarded(options, () => {
      if (params.length === 0 && !options.fn) {
        // `{{first}}` alone means a variable that happens to share a filter's name.
        const ctx = this as Record<string, unknown> | null;
        if (ctx && typeof ctx === "object" && Object.prototype.hasOwnProperty.call(ctx, name)) return ctx[name];
        throw new KplayError({ kind: "template", message: `'${name}' is undefined`, hint: `to apply the ${name} filter, give it a value: {{${name} value}}` });
      }
      const [input, ...args] = withUndefinedNames(params, options);
      return toTemplateValue(options.data.kplay.plugins.applyFilter(name, input, args, { ...options.hash }));
    });
  };
}

/** A helper usable inline (`(eq a b)`) or as a block (`{{#eq a b}}...{{else}}...{{/eq}}`). */
function conditionHelper(check: (args: unknown[]) => boolean): HelperDelegate {
  return function (this: unknown, ...params: unknown[]) {
    const options = params.pop() as Options;
    const result = guarded(options, () => check(withUndefinedNames(params, options)));
    if (!options.fn) return result;
    return result ? options.fn(this) : options.inverse(this);
  };
}

const CONDITIONS: Record<string, (args: unknown[]) => boolean> = {
  eq: ([a, b]) => pyEquals(a, b),
  ne: ([a, b]) => !pyEquals(a, b),
  lt: ([a, b]) => pyCompare(a, b) < 0,
  le: ([a, b]) => pyCompare(a, b) <= 0,
  gt: ([a, b]) => pyCompare(a, b) > 0,
  ge: ([a, b]) => pyCompare(a, b) >= 0,
  and: (args) => args.every(truthy),
  or: (args) => args.some(truthy),
  not: ([a]) => !truthy(a),
};

export function templateHelperNames(): string[] {
  return [...filterNames(), ...Object.keys(CONDITIONS)].sort();
}

export function registerHelpers(hb: typeof import("handlebars")): void {
  for (const name of filterNames()) hb.registerHelper(name, filterHelper(name));
  for (const [name, check] of Object.entries(CONDITIONS)) hb.registerHelper(name, conditionHelper(check));
}
