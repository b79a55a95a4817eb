// The only things an expression can call: global functions (range, lookup, ...) and whitelisted
// methods bound to a value. Plain JS functions found in data are never called.
import type { Dict } from "./values.js";

export type CallImpl = (args: unknown[], kwargs: Dict) => unknown;

export class Callable {
  constructor(
    /** Shown in errors: `range`, `str.split`. */
    readonly name: string,
    readonly call: CallImpl,
  ) {}
}

export function isCallable(v: unknown): v is Callable {
  return v instanceof Callable;
}
