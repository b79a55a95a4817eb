// Keywords flow from play to role to block to task, computed once at load time so the executor
// reads each task's effective settings directly.
import type { CommonKeywords } from "./model.js";
import { isMapping } from "./normalize.js";

/**
 * The child's effective keywords: `when` conditions ANDed (parent first), tags unioned, `vars`
 * and `environment` merged (child wins per key), anything else taken from the parent unless the
 * child sets it. `positions` are the child's own.
 */
export function inheritKeywords<T extends CommonKeywords>(parent: CommonKeywords, child: T): T {
  const out: T = { ...child };
  for (const [key, value] of Object.entries(parent) as Array<[keyof CommonKeywords, unknown]>) {
    if (value === undefined || key === "positions") continue;
    const own = child[key];
    if (key === "when") {
      out.when = [...(parent.when ?? []), ...(child.when ?? [])];
    } else if (key === "tags") {
      out.tags = [...new Set([...(parent.tags ?? []), ...(child.tags ?? [])])];
    } else if ((key === "vars" || key === "environment") && isMapping(value) && isMapping(own)) {
      (out as Record<string, unknown>)[key] = { ...value, ...own };
    } else if (own === undefined) {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** What a play or role passes down: everything but `vars`, which have their own precedence level. */
export function withoutVars(keywords: CommonKeywords): CommonKeywords {
  const { vars: _ignored, positions: _own, ...rest } = keywords;
  return rest;
}

/** Keywords given somewhere else than the file being loaded (`apply:` of an include) carry no positions. */
export function withoutPositions(keywords: CommonKeywords): CommonKeywords {
  const { positions: _ignored, ...rest } = keywords;
  return rest;
}
