// Line-editing modules (lineinfile, blockinfile) read a text file whole: its state, its
// parent's state and its content come back in one round trip.
import { posix } from "node:path";
import { shellQuote } from "../../engine/shell-quote.js";
import type { ModuleContext } from "../types.js";
import { parseProbeOutput, probeFilesScript, type FileState } from "./file-state.js";
import { inspectGroups } from "./file-inspect.js";
import { ModuleFailure } from "./operation.js";
import { runRemote } from "./remote.js";

export interface TextFile {
  state: FileState;
  parent: FileState;
  /** The content when the path is a readable regular file. */
  content?: string;
  /** How `content` was decoded, and must be encoded back: UTF-8, or byte for byte when the file is not UTF-8. */
  encoding: "utf8" | "latin1";
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 text as text; anything else one character per byte, so writing it back changes no other byte. */
function decode(bytes: Buffer): { content: string; encoding: TextFile["encoding"] } {
  try {
    return { content: strictUtf8.decode(bytes), encoding: "utf8" };
  } catch {
    return { content: bytes.toString("latin1"), encoding: "latin1" };
  }
}

function textFile(state: FileState, parent: FileState, content: Buffer | undefined): TextFile {
  if (!state.exists || state.type !== "file") return { state, parent, encoding: "utf8" };
  return { state, parent, ...decode(content ?? Buffer.alloc(0)) };
}

export async function probeTextFile(ctx: ModuleContext, path: string): Promise<TextFile> {
  const parentPath = posix.dirname(path);
  const inspected = await inspectGroups(ctx, [{ paths: [path, parentPath], options: { follow: true, content: true } }]);
  if (inspected) {
    const [state, parent] = inspected as FileState[];
    return textFile(state, parent, state.exists ? state.content : undefined);
  }
  const q = shellQuote(path);
  // base64 keeps every byte intact through the shell's text output.
  const script = `${probeFilesScript([path, parentPath], { follow: true })}\nif [ -f ${q} ]; then base64 -w0 -- ${q} || exit 3; fi`;
  const r = await runRemote(ctx, script);
  if (r.rc !== 0) throw new ModuleFailure(`cannot read ${path}: ${r.stderr.trim() || `rc ${r.rc}`}`);
  const [state, parent] = parseProbeOutput([path, parentPath], r.stdout);
  return textFile(state, parent, Buffer.from(r.stdout.split("\n")[2] ?? "", "base64"));
}

/** Python's readlines: each line keeps its "\n"; a last line without one stays as it is. */
export function splitLines(content: string): string[] {
  return content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
