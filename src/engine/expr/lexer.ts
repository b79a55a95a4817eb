// Splits an expression into tokens. Hand-written (no regex over the whole input) so every token
// keeps its offset for error messages.
import { syntaxError, type ExprSource } from "./errors.js";

export type TokenType = "name" | "string" | "number" | "op" | "eof";

export interface Token {
  type: TokenType;
  /** The name, the operator, the decoded string; numbers keep their text until parsed. */
  value: string;
  /** Offset of the first character in the source text. */
  start: number;
}

// Longest first so `**` wins over `*`.
const OPERATORS = [
  "**", "//", "==", "!=", "<=", ">=",
  "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|",
];

const SIMPLE_ESCAPES: Record<string, string> = {
  n: "\n", t: "\t", r: "\r", "0": "\0", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v",
};

const isDigit = (c: string): boolean => c >= "0" && c <= "9";
const isNameStart = (c: string): boolean => /[A-Za-z_]/.test(c);
const isNameChar = (c: string): boolean => /[A-Za-z0-9_]/.test(c);

/** Tokenizes source.text[from, to): the inside of one `{{ }}` or a bare expression. */
export function tokenize(source: ExprSource, from = 0, to = source.text.length): Token[] {
  const text = source.text;
  const tokens: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    const start = i;
    if (isNameStart(c)) {
      while (i < to && isNameChar(text[i])) i++;
      tokens.push({ type: "name", value: text.slice(start, i), start });
      continue;
    }
    if (isDigit(c)) {
      i = scanNumber(text, i, to);
      tokens.push({ type: "number", value: text.slice(start, i).replace(/_/g, ""), start });
      continue;
    }
    if (c === "'" || c === '"') {
      const [value, end] = scanString(source, i, to);
      tokens.push({ type: "string", value, start });
      i = end;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw syntaxError(`unexpected character '${c}'`, source, i);
    tokens.push({ type: "op", value: op, start });
    i += op.length;
  }
  tokens.push({ type: "eof", value: "", start: to });
  return tokens;
}

function scanDigits(text: string, i: number, to: number): number {
  while (i < to && (isDigit(text[i]) || (text[i] === "_" && isDigit(text[i + 1] ?? "")))) i++;
  return i;
}

function scanNumber(text: string, i: number, to: number): number {
  i = scanDigits(text, i, to);
  if (text[i] === "." && isDigit(text[i + 1] ?? "")) i = scanDigits(text, i + 1, to);
  if ((text[i] === "e" || text[i] === "E") && i + 1 < to) {
    let j = i + 1;
    if (text[j] === "+" || text[j] === "-") j++;
    if (isDigit(text[j] ?? "")) i = scanDigits(text, j, to);
  }
  return i;
}

function scanString(source: ExprSource, start: number, to: number): [string, number] {
  const text = source.text;
  const quote = text[start];
  let out = "";
  let i = start + 1;
  while (i < to) {
    const c = text[i];
    if (c === quote) return [out, i + 1];
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined || i + 1 >= to) break;
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === "x" || e === "u") {
      const len = e === "x" ? 2 : 4;
      const hex = text.slice(i + 2, i + 2 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw syntaxError("bad escape in string", source, i);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 2 + len;
    } else {
      // Python keeps unknown escapes as written, which is what regexes like '\d+' rely on.
      out += c + e;
      i += 2;
    }
  }
  throw syntaxError("unterminated string", source, start);
}
