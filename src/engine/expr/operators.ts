// Arithmetic, concatenation, comparison and membership with Python's semantics.
import type { BinaryOp, CompareOp } from "./ast.js";
import { exprError } from "./errors.js";
import { MAX_SEQUENCE_LENGTH, MAX_STRING_LENGTH } from "./limits.js";
import { pyPercentFormat } from "./pystr.js";
import { defined, isMapping, mappingHas, pyCompare, pyEquals, pyRepr, pyStr, typeName } from "./values.js";

function asNumber(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return Number(v);
  return undefined;
}

function unsupported(op: string, a: unknown, b: unknown): Error {
  return exprError(`unsupported operand types for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

function repeat(seq: unknown, times: number): unknown {
  if (!Number.isInteger(times)) throw exprError("can only repeat a sequence an integer number of times");
  const n = Math.max(0, times);
  if (typeof seq === "string") {
    if (seq.length * n > MAX_STRING_LENGTH) throw exprError("string repetition too large");
    return seq.repeat(n);
  }
  const list = seq as unknown[];
  if (list.length * n > MAX_SEQUENCE_LENGTH) throw exprError("list repetition too large");
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(...list);
  return out;
}

function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

export function binary(op: BinaryOp, a: unknown, b: unknown): unknown {
  a = defined(a);
  b = defined(b);
  if (op === "~") return pyStr(a) + pyStr(b);
  if (op === "%" && typeof a === "string") {
    try {
      return pyPercentFormat(a, b, pyStr, pyRepr);
    } catch (e) {
      throw exprError(`string formatting failed: ${(e as Error).message}`);
    }
  }
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== undefined && y !== undefined) {
    switch (op) {
      case "+": return x + y;
      case "-": return x - y;
      case "*": return x * y;
      case "**": {
        const r = x ** y;
        if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw exprError("result of ** too large");
        return r;
      }
      case "/":
      case "//":
      case "%":
        if (y === 0) throw exprError(op === "%" ? "integer modulo by zero" : "division by zero");
        return op === "/" ? x / y : op === "//" ? Math.floor(x / y) : pyMod(x, y);
    }
  }
  if (op === "+") {
    if (typeof a === "string" && typeof b === "string") {
      if (a.length + b.length > MAX_STRING_LENGTH) throw exprError("string too large");
      return a + b;
    }
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  }
  if (op === "*") {
    if ((typeof a === "string" || Array.isArray(a)) && y !== undefined) return repeat(a, y);
    if ((typeof b === "string" || Array.isArray(b)) && x !== undefined) return repeat(b, x);
  }
  throw unsupported(op, a, b);
}

/** `needle in haystack`: substring, list element, or dict key. */
export function contains(haystack: unknown, needle: unknown): boolean {
  haystack = defined(haystack);
  needle = defined(needle);
  if (typeof haystack === "string") {
    if (typeof needle !== "string") throw exprError(`'in <string>' requires string as left operand, not ${typeName(needle)}`);
    return haystack.includes(needle);
  }
  if (Array.isArray(haystack)) return haystack.some((x) => pyEquals(x, needle));
  if (isMapping(haystack)) return typeof needle === "string" ? mappingHas(haystack, needle) : mappingHas(haystack, String(needle));
  throw exprError(`argument of type '${typeName(haystack)}' is not iterable`);
}

export function compare(op: CompareOp, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==": return pyEquals(a, b);
    case "!=": return !pyEquals(a, b);
    case "<": return pyCompare(a, b) < 0;
    case "<=": return pyCompare(a, b) <= 0;
    case ">": return pyCompare(a, b) > 0;
    case ">=": return pyCompare(a, b) >= 0;
    case "in": return contains(b, a);
    case "not in": return !contains(b, a);
  }
}
