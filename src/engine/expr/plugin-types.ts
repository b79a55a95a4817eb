// The shape of filters and tests. Each is a plain function of (input, positional args, keyword
// args, context); the context lets higher-order filters (map, select) call other filters and tests.
import type { EvalOptions } from "./options.js";
import type { Dict } from "./values.js";

export interface PluginContext {
  readonly options: EvalOptions;
  applyFilter(name: string, input: unknown, args?: unknown[], kwargs?: Dict): unknown;
  applyTest(name: string, input: unknown, args?: unknown[], kwargs?: Dict): boolean;
}

export type FilterFn = (input: unknown, args: unknown[], kwargs: Dict, ctx: PluginContext) => unknown;
export type TestFn = (input: unknown, args: unknown[], kwargs: Dict, ctx: PluginContext) => boolean;

export interface PluginDef<F> {
  fn: F;
  /** Receives Undefined inputs and arguments instead of failing on them (default, defined, ...). */
  acceptsUndefined?: boolean;
}

export type FilterTable = Record<string, FilterFn | PluginDef<FilterFn>>;
export type TestTable = Record<string, TestFn | PluginDef<TestFn>>;

/** Positional argument i, or the keyword argument of that name, or the fallback. */
export function param<T = unknown>(args: unknown[], kwargs: Dict, index: number, name: string, fallback?: T): T {
  if (index < args.length) return args[index] as T;
  if (Object.prototype.hasOwnProperty.call(kwargs, name)) return kwargs[name] as T;
  return fallback as T;
}
