// Shared by the unit tests: `hostvars` as the executor hands it out, a LazyMapping over
// per-host scopes that are resolved only when read.
import type { LazyMapping } from "../../src/engine/expr/index.js";
import type { VariableScope } from "../../src/engine/vars/index.js";

export function hostvarsOver(scopes: Map<string, VariableScope>): LazyMapping {
  return {
    lazyMapping: true,
    get: (h) => scopes.get(h),
    has: (h) => scopes.has(h),
    keys: () => [...scopes.keys()],
  };
}
