// Task keywords may be literals or templates ("{{ ignore | bool }}"); these read them per host.
import type { Vars } from "../expr/evaluator.js";
import { renderValue } from "../expr/render.js";
import { ansibleBoolean } from "../expr/values.js";

export function keywordBool(value: boolean | string | undefined, vars: Vars): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "boolean") return value;
  return ansibleBoolean(renderValue(value, vars));
}

export function keywordNumber(value: number | string | undefined, vars: Vars): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  const n = Number(renderValue(value, vars));
  return Number.isFinite(n) ? n : undefined;
}

export function keywordString(value: string | undefined, vars: Vars): string | undefined {
  if (value === undefined) return undefined;
  const rendered = renderValue(value, vars);
  return rendered === undefined || rendered === null ? undefined : String(rendered);
}
