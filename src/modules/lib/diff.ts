// Before/after texts for --diff: file contents, and path states (state/mode/owner) as
// "key: value" lines, both rendered as a unified diff by renderDiff.
import type { createTwoFilesPatch } from "diff";
import { lazyRequire } from "../../engine/lazy-require.js";
import type { FileDiff } from "../types.js";

// Only runs with --diff render one: loaded then.
const diffPackage = lazyRequire<{ createTwoFilesPatch: typeof createTwoFilesPatch }>("diff");

/** Larger contents are summarized: a diff of megabytes helps nobody and floods the output. */
const MAX_DIFF_BYTES = 256 * 1024;

function shownContent(content: string | Buffer): string {
  const buf = typeof content === "string" ? Buffer.from(content) : content;
  if (buf.includes(0)) return `(binary content, ${buf.length} bytes)\n`;
  if (buf.length > MAX_DIFF_BYTES) return `(${buf.length} bytes, too large to show)\n`;
  return buf.toString("utf8");
}

/** A content diff; `before` undefined means the file does not exist yet. */
export function contentDiff(path: string, before: string | Buffer | undefined, after: string | Buffer | undefined): FileDiff {
  return {
    before: before === undefined ? "" : shownContent(before),
    after: after === undefined ? "" : shownContent(after),
    beforeHeader: before === undefined ? `${path} (absent)` : path,
    afterHeader: after === undefined ? `${path} (absent)` : path,
  };
}

function lines(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}: ${v}\n`)
    .join("");
}

/** A state diff such as `state: absent` -> `state: directory\nmode: 0755`. */
export function stateDiff(path: string, before: Record<string, string | undefined>, after: Record<string, string | undefined>): FileDiff {
  return { before: lines(before), after: lines(after), beforeHeader: `${path} (before)`, afterHeader: `${path} (after)` };
}

/** Unified diff text of one FileDiff, as --diff prints it. */
export function renderDiff(d: FileDiff): string {
  return diffPackage().createTwoFilesPatch(d.beforeHeader ?? "before", d.afterHeader ?? "after", d.before, d.after, undefined, undefined, {
    context: 3,
  });
}
