// Filters about presence and type: default, mandatory, bool, int, float, string, length, ternary, numbers.
import { KplayError } from "../../errors.js";
import { exprError } from "../errors.js";
import { param, type FilterTable } from "../plugin-types.js";
import {
  ansibleBoolean, defined, isMapping, isUndefined, mappingKeys, pyStr, truthy, typeName,
} from "../values.js";

function toInt(v: unknown, fallback: number, base: number): number {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === "string") {
    const s = v.trim().replace(/_/g, "");
    if (base !== 10) {
      const digits = s.replace(/^0[xob]/i, "");
      const n = parseInt(digits, base);
      return Number.isNaN(n) || !/^[0-9a-z]+$/i.test(digits) ? fallback : n;
    }
    if (/^[+-]?\d+$/.test(s)) return parseInt(s, 10);
    // Jinja's int falls back to float parsing: int('1.9') is 1.
    const f = toFloat(s, NaN);
    return Number.isNaN(f) ? fallback : Math.trunc(f);
  }
  return fallback;
}

function toFloat(v: unknown, fallback: number): number {
  if (typeof v === "boolean") return Number(v);
  if (typeof v === "number") return v;
  if (typeof v === "string") {
    const s = v.trim().replace(/_/g, "");
    if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) return Number(s);
    if (/^[+-]?inf(inity)?$/i.test(s)) return s.startsWith("-") ? -Infinity : Infinity;
    return fallback;
  }
  return fallback;
}

function length(v: unknown): number {
  v = defined(v);
  if (typeof v === "string" || Array.isArray(v)) return v.length;
  if (isMapping(v)) return mappingKeys(v).length;
  throw exprError(`object of type '${typeName(v)}' has no len()`);
}

/** Jinja's round: "common" is Python's round(), which sends halves to the even neighbour. */
function round(v: number, precision: number, method: string): number {
  const f = 10 ** precision;
  const x = v * f;
  if (method === "floor") return Math.floor(x) / f;
  if (method === "ceil") return Math.ceil(x) / f;
  const lower = Math.floor(x);
  const diff = x - lower;
  const rounded = diff > 0.5 || (diff === 0.5 && lower % 2 !== 0) ? lower + 1 : lower;
  return rounded / f;
}

export const coreFilters: FilterTable = {
  default: {
    acceptsUndefined: true,
    fn: (input, args, kwargs) => {
      const fallback = param(args, kwargs, 0, "default_value", "");
      const alsoFalsy = param(args, kwargs, 1, "boolean", false);
      if (isUndefined(input)) return fallback;
      return alsoFalsy && !truthy(input) ? fallback : input;
    },
  },
  mandatory: {
    acceptsUndefined: true,
    fn: (input, args, kwargs) => {
      if (!isUndefined(input)) return input;
      const msg = param<string | undefined>(args, kwargs, 0, "msg");
      throw new KplayError({ kind: "variable", message: msg ?? `mandatory variable '${input.path}' is not defined` });
    },
  },
  bool: (input) => ansibleBoolean(input),
  int: (input, args, kwargs) => toInt(input, param(args, kwargs, 0, "default", 0), param(args, kwargs, 1, "base", 10)),
  float: (input, args, kwargs) => toFloat(input, param(args, kwargs, 0, "default", 0)),
  string: (input) => pyStr(input),
  length: (input) => length(input),
  abs: (input) => Math.abs(toFloat(input, NaN)),
  round: (input, args, kwargs) =>
    round(toFloat(input, 0), param(args, kwargs, 0, "precision", 0), param(args, kwargs, 1, "method", "common")),
  ternary: (input, args, kwargs) => {
    const noneValue = param(args, kwargs, 2, "none_val");
    if (input === null && noneValue !== undefined) return noneValue;
    return truthy(input) ? param(args, kwargs, 0, "true_val") : param(args, kwargs, 1, "false_val");
  },
  type_debug: (input) => typeName(input),
};
