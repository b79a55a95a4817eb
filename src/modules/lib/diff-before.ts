// Under --diff, the current content of files about to be replaced (small text files only: a
// diff of a large or binary file is summarized instead, so fetching it would be wasted).
import type { ModuleContext } from "../types.js";
import type { FileState } from "./file-state.js";

const MAX_FETCH_BYTES = 256 * 1024;

export async function fetchDiffBefore(ctx: ModuleContext, states: FileState[]): Promise<Map<string, Buffer>> {
  const before = new Map<string, Buffer>();
  for (const s of states) {
    if (!s.exists || s.type !== "file" || s.size > MAX_FETCH_BYTES) continue;
    before.set(s.path, await ctx.conn.get(s.path, ctx.become ? { become: ctx.become } : undefined));
  }
  return before;
}
