// Line-editing modules (lineinfile, blockinfile) read a text file whole: its state, its
// parent's state and its content come back in one round trip.
import { posix } from "node:path";
import { shellQuote } from "../../engine/shell-quote.js";
import type { ModuleContext } from "../types.js";
import { parseProbeOutput, probeFilesScript, type FileState } from "./file-state.js";
import { ModuleFailure } from "./operation.js";
import { runRemote } from "./remote.js";

export interface TextFile {
  state: FileState;
  parent: FileState;
  /** The content when the path is a readable regular file. */
  content?: string;
}

export async function probeTextFile(ctx: ModuleContext, path: string): Promise<TextFile> {
  const parentPath = posix.dirname(path);
  const q = shellQuote(path);
  const script = `${probeFilesScript([path, parentPath], { follow: true })}\nif [ -f ${q} ]; then cat -- ${q} || exit 3; fi`;
  const r = await runRemote(ctx, script);
  if (r.rc !== 0) throw new ModuleFailure(`cannot read ${path}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  const [state, parent] = parseProbeOutput([path, parentPath], r.stdout);
  const cut = r.stdout.indexOf("\n", r.stdout.indexOf("\n") + 1) + 1;
  return { state, parent, ...(state.exists && state.type === "file" ? { content: r.stdout.slice(cut) } : {}) };
}

/** Python's readlines: each line keeps its "\n"; a last line without one stays as it is. */
export function splitLines(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
