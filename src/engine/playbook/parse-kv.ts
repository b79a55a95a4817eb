// Ansible's `k=v` argument strings (`file: path=/x state=directory`, `command: ls chdir=/tmp`):
// split like a shell that keeps quotes and {{ }} / {% %} blocks whole, then cut each word at its
// first unescaped `=`. Mirrors ansible.parsing.splitter.parse_kv.

/** Arguments that `command`/`shell`-like modules take as k=v; any other `k=v` stays command text. */
const RAW_MODULE_OPTIONS = new Set([
  "creates", "removes", "chdir", "executable", "warn", "stdin", "stdin_add_newline", "strip_empty_ends",
]);

export interface ParsedKv {
  options: Record<string, string>;
  /** Words that were not options, joined by a space (Ansible's `_raw_params`). */
  raw: string;
}

/** Splits on whitespace outside quotes and template blocks; quotes are kept in the words. */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote: string | undefined;
  let templateDepth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const pair = text.slice(i, i + 2);
    if (quote) {
      word += ch;
      if (ch === "\\" && i + 1 < text.length) word += text[++i];
      else if (ch === quote) quote = undefined;
    } else if (pair === "{{" || pair === "{%" || pair === "{#") {
      templateDepth++;
      word += pair;
      i++;
    } else if (templateDepth > 0 && (pair === "}}" || pair === "%}" || pair === "#}")) {
      templateDepth--;
      word += pair;
      i++;
    } else if (templateDepth === 0 && /\s/.test(ch)) {
      if (word) words.push(word);
      word = "";
    } else {
      // As Ansible's _get_quote_state: a backslash-escaped quote opens nothing.
      if ((ch === "'" || ch === '"') && templateDepth === 0 && text[i - 1] !== "\\") quote = ch;
      word += ch;
    }
  }
  if (word) words.push(word);
  return words;
}

/** Removes one pair of matching surrounding quotes (Ansible's `unquote`). */
function unquote(value: string): string {
  const first = value[0];
  // Ansible's is_quoted: a closing quote after a backslash is escaped, so the value is not quoted.
  if (value.length >= 2 && (first === "'" || first === '"') && value.endsWith(first) && value[value.length - 2] !== "\\") return value.slice(1, -1);
  return value;
}

/** Index of the first `=` not preceded by a backslash, -1 when there is none. Position 0 never counts. */
function optionSeparator(word: string): number {
  for (let pos = word.indexOf("=", 1); pos > 0; pos = word.indexOf("=", pos + 1)) {
    if (word[pos - 1] !== "\\") return pos;
  }
  return -1;
}

const SINGLE_CHARACTER_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
};
const ESCAPE_SEQUENCE = /\\(?:U([0-9a-fA-F]{8})|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|(["'\\abfnrtv]))/g;

/** Ansible's `_decode_escapes`: `content="a\n"` means a newline (named `\N{...}` escapes stay as written). */
function decodeEscapes(word: string): string {
  return word.replace(ESCAPE_SEQUENCE, (all, u8?: string, u4?: string, x2?: string, single?: string) => {
    if (single !== undefined) return SINGLE_CHARACTER_ESCAPES[single];
    const code = parseInt(u8 ?? u4 ?? x2!, 16);
    return code > 0x10ffff ? all : String.fromCodePoint(code);
  });
}

/**
 * @param rawModule true for free-form modules (command, shell): only their known options are
 * taken out of the text, so `echo a=b` stays a command.
 */
export function parseKv(text: string, rawModule: boolean): ParsedKv {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const original of splitArgs(text)) {
    const word = decodeEscapes(original);
    const pos = optionSeparator(word);
    // Ansible matches command options before stripping the key, and stores it stripped.
    const key = pos > 0 ? word.slice(0, pos) : "";
    if (pos < 0 || (rawModule && !RAW_MODULE_OPTIONS.has(key))) {
      raw.push(original);
    } else {
      options[key.trim()] = unquote(word.slice(pos + 1).trim());
    }
  }
  return { options, raw: raw.join(" ") };
}
