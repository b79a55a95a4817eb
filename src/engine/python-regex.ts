// Playbooks carry Python regular expressions (regex filters, lineinfile's regexp). The common
// Python-only syntax is translated to JavaScript's; the rest of the two dialects agree.

const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

/**
 * Translates a Python `re` pattern into JS RegExp source and flags: named groups `(?P<n>...)`,
 * `(?P=n)`, `\A`, `\Z`, and leading inline flags (only i, m, s have a JS twin). `extraFlags` are added.
 */
export function translatePythonRegex(pattern: string, extraFlags = ""): { source: string; flags: string } {
  let source = pattern;
  let flags = extraFlags;
  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    flags += inline[1].replace(/[aLux]/g, "");
    source = source.slice(inline[0].length);
  }
  source = source
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, "(?<$1>")
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, "\\k<$1>")
    .replace(/\\A/g, "^")
    .replace(/\\Z/g, "$");
  return { source, flags: [...new Set(flags)].join("") };
}
