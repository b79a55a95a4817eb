// Unified diffs for --diff, headed like Ansible's ("--- before: path" / "+++ after: path").
import type { structuredPatch } from "diff";
import { lazyRequire } from "../lazy-require.js";
import type { FileDiff } from "../../modules/types.js";

const diffPackage = lazyRequire<{ structuredPatch: typeof structuredPatch }>("diff");

export function formatFileDiff(d: FileDiff): string {
  const patch = diffPackage().structuredPatch(d.beforeHeader ?? "before", d.afterHeader ?? "after", d.before, d.after, "", "", {
    context: 3,
  });
  if (patch.hunks.length === 0) return "";
  const lines = [`--- ${d.beforeHeader ? `before: ${d.beforeHeader}` : "before"}`, `+++ ${d.afterHeader ? `after: ${d.afterHeader}` : "after"}`];
  for (const h of patch.hunks) {
    lines.push(`@@ -${range(h.oldStart, h.oldLines)} +${range(h.newStart, h.newLines)} @@`, ...h.lines);
  }
  // Ansible leaves a blank line after each diff.
  return `${lines.join("\n")}\n`;
}

// Python difflib's range spelling: "3" for one line, and an empty range starts one line earlier ("0,0").
function range(start: number, length: number): string {
  if (length === 0) return `${start - 1},0`;
  return length === 1 ? String(start) : `${start},${length}`;
}
