// Python's `ast.literal_eval`, as Ansible applies it to INI values: `1` is an int, `1.5` a float,
// `True` a bool, `[1, 2]` a list, `'x'` a string, `1,2` a tuple; anything else stays the raw text.
// Only what literal_eval accepts is accepted; no expression is ever evaluated.

type Token =
  | { kind: "num"; value: number }
  | { kind: "str"; value: string; bytes: boolean }
  | { kind: "name"; value: string }
  | { kind: "op"; value: string }
  | { kind: "end" };

class NotALiteral extends Error {}

const fail = (why: string): never => {
  throw new NotALiteral(why);
};

const DIGITS = (d: string) => `[${d}](?:_?[${d}])*`;
const DEC = DIGITS("0-9");
const EXPONENT = `[eE][+-]?${DEC}`;
const NUMBER_PATTERNS: [RegExp, (text: string) => number | null][] = [
  [new RegExp(`^0[xX](?:_?[0-9a-fA-F])+`), (t) => parseInt(t.slice(2).replace(/_/g, ""), 16)],
  [new RegExp(`^0[oO](?:_?[0-7])+`), (t) => parseInt(t.slice(2).replace(/_/g, ""), 8)],
  [new RegExp(`^0[bB](?:_?[01])+`), (t) => parseInt(t.slice(2).replace(/_/g, ""), 2)],
  [new RegExp(`^(?:${DEC}\\.(?:${DEC})?|\\.${DEC})(?:${EXPONENT})?[jJ]?|^${DEC}${EXPONENT}[jJ]?|^${DEC}[jJ]`), (t) =>
    /[jJ]$/.test(t) ? null : Number(t.replace(/_/g, ""))],
  // Decimal ints: no leading zeros except for zero itself (`007` is a syntax error in Python 3).
  [new RegExp(`^(?:[1-9](?:_?[0-9])*|0(?:_?0)*)(?![0-9_])`), (t) => Number(t.replace(/_/g, ""))],
];

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\n": "",
};

function decodeEscapes(body: string, bytes: boolean): string {
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== "\\") {
      if (bytes && ch.charCodeAt(0) > 0x7f) fail("bytes can only contain ASCII literal characters");
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) fail("trailing backslash");
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      i += 1;
    } else if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
    } else if (next === "x" || (!bytes && (next === "u" || next === "U"))) {
      const width = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) fail(`truncated \\${next} escape`);
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) fail("illegal Unicode character");
      out += String.fromCodePoint(code);
      i += 1 + width;
    } else if (!bytes && next === "N") {
      fail("named unicode escapes are not supported");
    } else {
      // Python keeps unknown escapes as written (with a warning).
      out += "\\";
    }
  }
  return out;
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let depth = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^(?:[ \t\f]+|\\\n|#[^\n]*)/.exec(rest);
    if (ws) {
      i += ws[0].length;
      continue;
    }
    if (rest[0] === "\n" || rest[0] === "\r") {
      // Newlines only continue an expression inside brackets; a trailing one ends it.
      if (depth === 0 && src.slice(i).trim() !== "") fail("newline inside expression");
      i += 1;
      continue;
    }
    const str = /^([rRbBuU]|[bB][rR]|[rR][bB])?('''|"""|'|")/.exec(rest);
    if (str) {
      const prefix = (str[1] ?? "").toLowerCase();
      const quote = str[2];
      let j = str[0].length;
      let body = "";
      for (;;) {
        if (j >= rest.length) fail("unterminated string literal");
        if (rest.startsWith(quote, j)) break;
        if (quote.length === 1 && rest[j] === "\n") fail("unterminated string literal");
        if (rest[j] === "\\" && j + 1 < rest.length) {
          body += rest.slice(j, j + 2);
          j += 2;
          continue;
        }
        body += rest[j];
        j += 1;
      }
      const bytes = prefix.includes("b");
      const value = prefix.includes("r") ? body : decodeEscapes(body, bytes);
      tokens.push({ kind: "str", value, bytes });
      i += j + quote.length;
      continue;
    }
    if (/^[0-9.]/.test(rest) && !rest.startsWith("...")) {
      let matched = false;
      for (const [re, convert] of NUMBER_PATTERNS) {
        const m = re.exec(rest);
        if (!m) continue;
        if (/^[\w.]/u.test(rest.slice(m[0].length))) fail("invalid number");
        const value = convert(m[0]);
        if (value === null) fail("complex numbers are not supported");
        tokens.push({ kind: "num", value: value as number });
        i += m[0].length;
        matched = true;
        break;
      }
      if (matched) continue;
      if (rest[0] !== ".") fail("invalid number");
    }
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(rest);
    if (name) {
      tokens.push({ kind: "name", value: name[0] });
      i += name[0].length;
      continue;
    }
    const op = /^(?:\.\.\.|[()[\]{},:+\-])/.exec(rest);
    if (!op) fail(`unexpected character ${rest[0]}`);
    if ("([{".includes(op![0])) depth += 1;
    if (")]}".includes(op![0])) depth -= 1;
    tokens.push({ kind: "op", value: op![0] });
    i += op![0].length;
  }
  tokens.push({ kind: "end" });
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private isOp(value: string): boolean {
    const t = this.peek();
    return t.kind === "op" && t.value === value;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) fail(`expected ${value}`);
    this.pos += 1;
  }

  /** The whole input: an expression, where a bare `a, b` is a tuple. */
  parseTop(): unknown {
    const value = this.parseExpressionList(() => this.peek().kind === "end");
    if (this.peek().kind !== "end") fail("trailing input");
    return value;
  }

  private parseExpressionList(atEnd: () => boolean): unknown {
    const first = this.parseValue();
    if (!this.isOp(",")) return first;
    const items = [first];
    while (this.isOp(",")) {
      this.pos += 1;
      if (atEnd()) break;
      items.push(this.parseValue());
    }
    return items;
  }

  private parseItems(close: string): unknown[] {
    const items: unknown[] = [];
    while (!this.isOp(close)) {
      items.push(this.parseValue());
      if (!this.isOp(",")) break;
      this.pos += 1;
    }
    this.expectOp(close);
    return items;
  }

  private parseValue(): unknown {
    const t = this.peek();
    this.pos += 1;
    if (t.kind === "num") return t.value;
    if (t.kind === "str") {
      // Adjacent string literals concatenate, but bytes and text never mix.
      let value = t.value;
      for (let next = this.peek(); next.kind === "str"; next = this.peek()) {
        if (next.bytes !== t.bytes) fail("cannot mix bytes and nonbytes literals");
        value += next.value;
        this.pos += 1;
      }
      return value;
    }
    if (t.kind === "name") {
      if (t.value === "True") return true;
      if (t.value === "False") return false;
      if (t.value === "None") return null;
      if (t.value === "set" && this.isOp("(")) {
        this.pos += 1;
        this.expectOp(")");
        return [];
      }
      return fail(`name ${t.value} is not a literal`);
    }
    if (t.kind === "end") return fail("unexpected end of input");
    switch (t.value) {
      case "+":
      case "-": {
        const operand = this.peek();
        if (operand.kind !== "num") fail("sign applies to numbers only");
        this.pos += 1;
        return t.value === "-" ? -(operand as { value: number }).value : (operand as { value: number }).value;
      }
      case "[":
        return this.parseItems("]");
      case "(": {
        if (this.isOp(")")) {
          this.pos += 1;
          return [];
        }
        const inner = this.parseExpressionList(() => this.isOp(")"));
        this.expectOp(")");
        return inner;
      }
      case "{":
        return this.parseBraces();
      default:
        return fail(`unexpected ${t.value}`);
    }
  }

  /** `{}` and `{k: v}` are dicts; `{a, b}` is a set, which has no JSON form: a list. */
  private parseBraces(): unknown {
    if (this.isOp("}")) {
      this.pos += 1;
      return {};
    }
    const first = this.parseValue();
    if (!this.isOp(":")) {
      const items = [first];
      if (this.isOp(",")) {
        this.pos += 1;
        items.push(...this.parseItems("}"));
      } else this.expectOp("}");
      return items;
    }
    const dict: Record<string, unknown> = {};
    let key = first;
    for (;;) {
      this.expectOp(":");
      if (typeof key === "object" && key !== null) fail("unhashable dict key");
      // json.dumps writes keys True/None/1 as "true"/"null"/"1", as String() does.
      dict[String(key)] = this.parseValue();
      if (!this.isOp(",")) break;
      this.pos += 1;
      if (this.isOp("}")) break;
      key = this.parseValue();
    }
    this.expectOp("}");
    return dict;
  }
}

export type LiteralResult = { ok: true; value: unknown } | { ok: false };

/** Evaluate `text` as a Python literal, as `ast.literal_eval` would. */
export function parsePythonLiteral(text: string): LiteralResult {
  try {
    return { ok: true, value: new Parser(tokenize(text.replace(/^[ \t]+/, ""))).parseTop() };
  } catch (e) {
    if (e instanceof NotALiteral) return { ok: false };
    throw e;
  }
}

/** What Ansible stores for an INI value: the literal if it is one, else the text unchanged. */
export function iniValue(text: string): unknown {
  const result = parsePythonLiteral(text);
  return result.ok ? result.value : text;
}
