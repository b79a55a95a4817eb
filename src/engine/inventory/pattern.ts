// Host patterns, as a play's `hosts:` and `--limit` select hosts in Ansible
// (inventory/manager.py): `a:b` / `a,b` union, then `:&b` intersections, then `:!b`
// exclusions, whatever order they are written in; `*`/`?`/`[..]` globs and `~regex` on group
// and host names; `group[0]`, `group[-1]`, `group[1:3]` subscripts; `--limit` (also
// `@file` of names) intersected with the result. Results keep inventory order.

import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { KplayError } from "../errors.js";
import { parseAddress } from "./address.js";
import { LOCALHOST_NAMES } from "./loaded-inventory.js";
import type { Inventory } from "./model.js";

export interface ResolvePatternOptions {
  /** `--limit`: a second pattern (or `@file` of host names) the result is intersected with. */
  limit?: string | string[];
  /** Called once per pattern that matched nothing (Ansible warns and carries on). */
  onWarning?: (message: string) => void;
  /** Base for a relative `@file` limit; the current directory by default. */
  cwd?: string;
}

const PATTERN_WITH_SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

const patternError = (message: string, hint?: string): KplayError => new KplayError({ kind: "inventory", message, hint });

/** Splits `a,b` or `a:b:&c:!d` into single patterns; `host:22`, IPv6 and `web[1:3]` stay whole. */
export function splitHostPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(splitHostPattern);
  let parts: string[];
  if (pattern.includes(",")) parts = pattern.split(",");
  else if (parseAddress(pattern, true)) parts = [pattern];
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** Regular patterns first, then `&` intersections, then `!` exclusions; `all` if only modifiers. */
function orderPatterns(patterns: string[]): string[] {
  const regular = patterns.filter((p) => p && p[0] !== "!" && p[0] !== "&");
  const intersect = patterns.filter((p) => p && p[0] === "&");
  const exclude = patterns.filter((p) => p && p[0] === "!");
  return [...(regular.length > 0 ? regular : ["all"]), ...intersect, ...exclude];
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; everything else literal. */
function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      let j = i + 1;
      if (glob[j] === "!") j++;
      if (glob[j] === "]") j++;
      while (j < glob.length && glob[j] !== "]") j++;
      if (j >= glob.length) out += "\\[";
      else {
        let body = glob.slice(i + 1, j).replace(/\\/g, "\\\\");
        if (body[0] === "!") body = "^" + body.slice(1);
        else if (body[0] === "^") body = "\\" + body;
        out += `[${body}]`;
        i = j;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
  }
  return new RegExp(`^(?:${out})$`);
}

/** A `~regex` in Python syntax, anchored at the start as Python's re.match is. */
function pythonRegExp(source: string): RegExp {
  const js = source.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>").replace(/\\Z/g, "$");
  return new RegExp(js, "y");
}

function matchList(items: Iterable<string>, pattern: string): string[] {
  let re: RegExp;
  try {
    re = pattern[0] === "~" ? pythonRegExp(pattern.slice(1)) : globToRegExp(pattern);
  } catch (e) {
    throw patternError(`Invalid host list pattern: ${pattern}`, `fix the regular expression (${(e as Error).message})`);
  }
  return [...items].filter((item) => {
    re.lastIndex = 0;
    return re.test(item);
  });
}

type Subscript = { start: number; end?: number };

function splitSubscript(pattern: string, warn: (m: string) => void): { expr: string; subscript?: Subscript } {
  if (pattern[0] === "~") return { expr: pattern };
  const m = PATTERN_WITH_SUBSCRIPT.exec(pattern);
  if (!m) {
    // Digits, colons and dashes in brackets can only be meant as a subscript (Ansible would
    // silently read them as a glob character class).
    if (/\[[-\d:]+\]$/.test(pattern)) {
      throw patternError(`Invalid subscript in host pattern '${pattern}'`, "use group[N], group[-N], group[M:N] or group[M:]");
    }
    return { expr: pattern };
  }
  const [, expr, index, start, sep, end] = m;
  if (index !== undefined) return { expr, subscript: { start: Number(index) } };
  if (sep === "-") warn("Use [x:y] inclusive subscripts instead of [x-y] which has been removed");
  return { expr, subscript: { start: Number(start), end: end ? Number(end) : -1 } };
}

function applySubscript(hosts: string[], pattern: string, subscript?: Subscript): string[] {
  if (hosts.length === 0 || !subscript) return hosts;
  const { start, end } = subscript;
  // Python truthiness: `[x:0]` means just element x.
  if (end) return hosts.slice(start, (end === -1 ? hosts.length - 1 : end) + 1);
  const i = start < 0 ? hosts.length + start : start;
  if (i < 0 || i >= hosts.length) {
    throw patternError(`No hosts matched the subscripted pattern '${pattern}'`, `the pattern selects ${hosts.length} host(s), indexed from 0`);
  }
  return [hosts[i]];
}

class PatternResolver {
  private readonly groups: Record<string, string[]>;
  private readonly hostSet: Set<string>;
  private readonly cache = new Map<string, string[]>();

  constructor(
    private readonly inv: Inventory,
    private readonly warn: (message: string) => void,
  ) {
    this.groups = inv.groupsMap();
    this.hostSet = new Set(inv.hostNames);
  }

  evaluate(patterns: string[]): string[] {
    let hosts: string[] = [];
    for (const p of orderPatterns(patterns)) {
      if (this.hostSet.has(p)) {
        hosts.push(p);
        continue;
      }
      const that = this.matchOne(p);
      if (p[0] === "!") {
        const drop = new Set(that);
        hosts = hosts.filter((h) => !drop.has(h));
      } else if (p[0] === "&") {
        const keep = new Set(that);
        hosts = hosts.filter((h) => keep.has(h));
      } else {
        const existing = new Set(hosts);
        hosts.push(...that.filter((h) => !existing.has(h)));
      }
    }
    return hosts;
  }

  private matchOne(raw: string): string[] {
    const pattern = raw[0] === "&" || raw[0] === "!" ? raw.slice(1) : raw;
    const cached = this.cache.get(pattern);
    if (cached) return cached;
    const { expr, subscript } = splitSubscript(pattern, this.warn);
    const hosts = applySubscript(this.enumerate(expr), pattern, subscript);
    this.cache.set(pattern, hosts);
    return hosts;
  }

  private enumerate(pattern: string): string[] {
    // Group definition order (object keys would put numeric names first).
    const matchingGroups = matchList(this.inv.groups.keys(), pattern);
    const results = matchingGroups.flatMap((g) => this.groups[g]);
    if (matchingGroups.length === 0 || pattern[0] === "~" || /[.?*[]/.test(pattern)) {
      results.push(...matchList(this.inv.hostNames, pattern));
    }
    if (results.length === 0 && LOCALHOST_NAMES.includes(pattern)) results.push(pattern);
    if (results.length === 0 && matchingGroups.length === 0 && pattern !== "all") {
      this.warn(`Could not match supplied host pattern, ignoring: ${pattern}`);
    }
    return results;
  }
}

/** `--limit` entries, with `@file` replaced by the host names listed in the file. */
function limitPatterns(limit: string | string[], cwd: string): string[] {
  return splitHostPattern(limit).flatMap((p) => {
    if (p[0] !== "@") return [p];
    const file = resolve(cwd, p.slice(1));
    let isFile: boolean;
    try {
      isFile = statSync(file).isFile();
    } catch {
      throw patternError(`Unable to find limit file ${p.slice(1)}`, "write the host names one per line in that file");
    }
    if (!isFile) throw patternError(`Limit starting with "@" must be a file, not a directory: ${p.slice(1)}`);
    return readFileSync(file, "utf8").split("\n").map((l) => l.trim());
  });
}

/** Host names matching `pattern` (and `limit`), in inventory order, each once. */
export function resolvePattern(inv: Inventory, pattern: string | string[], opts: ResolvePatternOptions = {}): string[] {
  const warned = new Set<string>();
  const warn = (message: string): void => {
    if (warned.has(message)) return;
    warned.add(message);
    opts.onWarning?.(message);
  };
  const resolver = new PatternResolver(inv, warn);
  let hosts = resolver.evaluate(splitHostPattern(pattern));
  if (opts.limit !== undefined) {
    const allowed = new Set(resolver.evaluate(limitPatterns(opts.limit, opts.cwd ?? process.cwd())));
    hosts = hosts.filter((h) => allowed.has(h));
  }
  return [...new Set(hosts)];
}
