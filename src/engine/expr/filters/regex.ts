// Regular-expression filters with Python's `re` syntax translated to JS: named groups
// `(?P<name>...)`, backreferences `\1` / `\g<name>` in replacements, inline flags `(?i)`.
import { translatePythonRegex } from "../../python-regex.js";
import { exprError } from "../errors.js";
import { param, type FilterTable } from "../plugin-types.js";
import { pyStr } from "../values.js";

export interface RegexOptions {
  ignorecase?: boolean;
  multiline?: boolean;
  /** `g` for every match, `y` to anchor at the start (Python's re.match). */
  extraFlags?: string;
}

/** Compiles a Python-syntax pattern into a JS RegExp. */
export function pyRegex(pattern: unknown, opts: RegexOptions = {}): RegExp {
  const { source, flags } = translatePythonRegex(pyStr(pattern), `${opts.extraFlags ?? ""}${opts.ignorecase ? "i" : ""}${opts.multiline ? "m" : ""}`);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw exprError(`invalid regular expression '${pyStr(pattern)}': ${(e as Error).message}`);
  }
}

/** Python replacement syntax (`\1`, `\g<1>`, `\g<name>`) to a JS replacer function. */
function pyReplacement(template: string): (match: string, ...rest: unknown[]) => string {
  return (match, ...rest) => {
    const last = rest[rest.length - 1];
    const named = typeof last === "object" && last !== null ? (last as Record<string, string | undefined>) : {};
    const groupCount = rest.length - (typeof last === "object" && last !== null ? 3 : 2);
    const group = (ref: string): string => {
      if (/^\d+$/.test(ref)) {
        const n = Number(ref);
        if (n === 0) return match;
        if (n > groupCount) throw exprError(`invalid group reference ${n}`);
        return (rest[n - 1] as string | undefined) ?? "";
      }
      if (!(ref in named)) throw exprError(`unknown group name '${ref}'`);
      return named[ref] ?? "";
    };
    return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (_, g: string, d: string, other: string) => {
      if (g !== undefined) return group(g);
      if (d !== undefined) return group(d);
      return other === "n" ? "\n" : other === "t" ? "\t" : other === "\\" ? "\\" : `\\${other}`;
    });
  };
}

function flagsFrom(args: unknown[], kwargs: Record<string, unknown>, firstIndex: number): RegexOptions {
  return {
    ignorecase: Boolean(param(args, kwargs, firstIndex, "ignorecase", false)),
    multiline: Boolean(param(args, kwargs, firstIndex + 1, "multiline", false)),
  };
}

/** Python's re.findall: whole matches, the single group, or tuples of groups. */
function findall(text: string, re: RegExp): unknown[] {
  const out: unknown[] = [];
  for (const m of text.matchAll(re)) {
    if (m.length === 1) out.push(m[0]);
    else if (m.length === 2) out.push(m[1] ?? "");
    else out.push(m.slice(1).map((g) => g ?? ""));
  }
  return out;
}

export const regexFilters: FilterTable = {
  regex_replace: (input, args, kwargs) => {
    const count = Number(param(args, kwargs, 4, "count", 0));
    const re = pyRegex(param(args, kwargs, 0, "regex"), { ...flagsFrom(args, kwargs, 2), extraFlags: "g" });
    const replace = pyReplacement(pyStr(param(args, kwargs, 1, "replace", "")));
    let done = 0;
    return pyStr(input).replace(re, (...m: unknown[]) =>
      count > 0 && done++ >= count ? (m[0] as string) : replace(m[0] as string, ...m.slice(1)),
    );
  },
  regex_search: (input, args, kwargs) => {
    const [pattern, ...groups] = args;
    const m = pyRegex(pattern ?? kwargs.regex, flagsFrom([], kwargs, 0)).exec(pyStr(input));
    if (!m) return null;
    if (groups.length === 0) return m[0];
    return groups.map((g) => {
      const ref = /^\\(?:g<(\w+)>|(\d+))$/.exec(pyStr(g));
      if (!ref) throw exprError(`regex_search: group argument must look like '\\1' or '\\g<name>', got '${pyStr(g)}'`);
      return ref[2] !== undefined ? (m[Number(ref[2])] ?? null) : (m.groups?.[ref[1]] ?? null);
    });
  },
  regex_findall: (input, args, kwargs) =>
    findall(pyStr(input), pyRegex(param(args, kwargs, 0, "regex"), { ...flagsFrom(args, kwargs, 1), extraFlags: "g" })),
  // Python 3.7+ re.escape: only characters special in a pattern.
  regex_escape: (input) => pyStr(input).replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, (c) => `\\${c}`),
};
