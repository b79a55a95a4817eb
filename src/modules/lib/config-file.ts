// Small configuration files the system modules own outright (sysctl.d, modules-load.d, fstab,
// /etc/hostname): created with their directory, replaced atomically, removed when unwanted.
import { posix } from "node:path";
import { shellQuote } from "../../engine/shell-quote.js";
import type { ModuleContext } from "../types.js";
import { runChecked } from "./remote.js";

/** Writes the whole file, creating its directory first (a fresh host may lack /etc/sysctl.d). */
export async function writeConfigFile(ctx: ModuleContext, path: string, content: string): Promise<void> {
  const dir = posix.dirname(path);
  await runChecked(ctx, `mkdir -p -- ${shellQuote(dir)}`, `create ${dir}`);
  await ctx.conn.put(content, path, ctx.become ? { become: ctx.become } : {});
}

/** The probe command printing a file's text; exit 3 tells "absent" from other failures. */
export function catIfExists(path: string): string {
  const q = shellQuote(path);
  return `[ -e ${q} ] || exit 3; cat -- ${q}`;
}
