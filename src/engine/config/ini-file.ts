// ansible.cfg's syntax, as Python's configparser reads it for Ansible: `[section]` headers,
// `key = value` or `key: value` (keys lower-cased), whole-line comments starting with # or ;,
// inline comments only after whitespace and ;, indented continuation lines, a [DEFAULT] section
// every other one falls back to, and a duplicate section or key as an error.
import { KplayError } from "../errors.js";

export interface IniValue {
  value: string;
  /** 1-based line of the key. */
  line: number;
}

export interface IniFile {
  path: string;
  /** Looks a key up as configparser's get(section, key, raw=True): the section, then [DEFAULT] (if the section exists). */
  get(section: string, key: string): IniValue | undefined;
}

const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;
const DEFAULT_SECTION = "DEFAULT";

/** The text before an inline `;` comment (one that starts the line or follows whitespace). */
function withoutInlineComment(line: string): string {
  for (let at = line.indexOf(";"); at >= 0; at = line.indexOf(";", at + 1)) {
    if (at === 0 || /\s/.test(line[at - 1]!)) return line.slice(0, at);
  }
  return line;
}

export function parseIniFile(path: string, text: string): IniFile {
  const sections = new Map<string, Map<string, { parts: string[]; line: number }>>();
  const error = (line: number, message: string, hint?: string) =>
    new KplayError({ kind: "usage", message, position: { file: path, line, column: 1 }, hint });
  let current: Map<string, { parts: string[]; line: number }> | undefined;
  let currentName = "";
  let option: { parts: string[]; line: number } | undefined;
  let indentOfOption = Number.MAX_SAFE_INTEGER;
  const seen = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const wholeComment = /^\s*[#;]/.test(raw);
    const value = wholeComment ? "" : withoutInlineComment(raw).trim();
    if (!value) {
      // configparser keeps a blank line inside a value that continues after it.
      if (!wholeComment && raw.trim() === "" && option) option.parts.push("");
      return;
    }
    const indent = raw.search(/\S/);
    if (current && option && indent > indentOfOption) {
      option.parts.push(value);
      return;
    }
    indentOfOption = indent;
    const header = SECTION.exec(value);
    if (header) {
      const name = header[1]!;
      // configparser lets [DEFAULT] appear again; any other section only once.
      if (seen.has(`[${name}]`)) throw error(lineNo, `section [${name}] appears twice`, "merge the two sections into one");
      if (name !== DEFAULT_SECTION) seen.add(`[${name}]`);
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      currentName = name;
      option = undefined;
      return;
    }
    if (!current) throw error(lineNo, "a setting before any [section] header", "put it under [defaults] (or the section it belongs to)");
    const parsed = OPTION.exec(value);
    if (!parsed || !parsed[1]) throw error(lineNo, `cannot read "${value}" as "key = value"`, "write settings as key = value");
    const key = parsed[1].trimEnd().toLowerCase();
    if (seen.has(`${currentName}\u0000${key}`)) throw error(lineNo, `${key} is set twice in [${currentName}]`, "keep one of the two lines");
    seen.add(`${currentName}\u0000${key}`);
    option = { parts: [parsed[3]!.trim()], line: lineNo };
    current.set(key, option);
  });
  const get = (section: string, key: string): IniValue | undefined => {
    // configparser falls back to [DEFAULT] only within a section that exists.
    const own = sections.get(section);
    const found = own && (own.get(key) ?? sections.get(DEFAULT_SECTION)?.get(key));
    return found && { value: found.parts.join("\n").trimEnd(), line: found.line };
  };
  return { path, get };
}
