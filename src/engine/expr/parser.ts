// Recursive-descent parser with Jinja2's precedence, lowest first:
//   conditional (a if c else b) < or < and < not < comparisons/in < + - < ~ < * / // % < ** < unary -
//   < filters (|) and tests (is) < postfix (.attr, [index], [a:b], (call)) < primary.
import type { BinaryOp, CallArgs, CompareOp, Node } from "./ast.js";
import { syntaxError, type ExprSource } from "./errors.js";
import { tokenize, type Token } from "./lexer.js";

/** Bounds nesting so hostile input cannot exhaust the stack. */
const MAX_DEPTH = 100;

const KEYWORDS = new Set(["and", "or", "not", "in", "is", "if", "else"]);
const LITERAL_NAMES: Record<string, unknown> = {
  true: true, True: true, false: false, False: false, none: null, None: null,
};
const COMPARE_OPS = new Set(["==", "!=", "<", "<=", ">", ">="]);

export class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private depth = 0;

  constructor(private readonly source: ExprSource, from = 0, to = source.text.length) {
    this.tokens = tokenize(source, from, to);
  }

  /** Parses the whole token range as one expression. */
  parseAll(): Node {
    if (this.peek().type === "eof") throw this.fail("empty expression", this.peek());
    const node = this.parseExpression();
    const rest = this.peek();
    if (rest.type !== "eof") throw this.fail(`unexpected '${rest.value}'`, rest);
    return node;
  }

  /** `{% for a, b in items if cond %}`: the loop targets, the iterable and the optional filter. */
  parseLoopHeader(): { targets: string[]; iterable: Node; filter?: Node } {
    const targets = [this.expectName().value];
    while (this.isOp(",")) {
      this.next();
      targets.push(this.expectName().value);
    }
    for (const t of targets) if (KEYWORDS.has(t)) throw this.fail(`'${t}' cannot be a loop variable`, this.peek());
    if (!this.isName("in")) throw this.fail(`expected 'in' but found ${describe(this.peek())}`, this.peek());
    this.next();
    // As in Jinja, the iterable cannot be an inline if: a trailing `if` filters the items.
    const iterable = this.parseOr();
    let filter: Node | undefined;
    if (this.isName("if")) {
      this.next();
      filter = this.parseExpression();
    }
    const rest = this.peek();
    if (rest.type !== "eof") throw this.fail(`unexpected '${rest.value}'`, rest);
    return { targets, iterable, filter };
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== "eof") this.pos++;
    return t;
  }

  private isOp(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === "op" && t.value === value;
  }

  private isName(value: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.type === "name" && t.value === value;
  }

  private expectOp(value: string): Token {
    const t = this.peek();
    if (t.type !== "op" || t.value !== value) {
      throw this.fail(`expected '${value}' but found ${describe(t)}`, t);
    }
    return this.next();
  }

  private expectName(): Token {
    const t = this.peek();
    if (t.type !== "name") throw this.fail(`expected a name but found ${describe(t)}`, t);
    return this.next();
  }

  private fail(message: string, at: Token): Error {
    return syntaxError(message, this.source, at.start);
  }

  private enter(at: Token): void {
    if (++this.depth > MAX_DEPTH) throw this.fail(`expression nested deeper than ${MAX_DEPTH} levels`, at);
  }

  parseExpression(): Node {
    this.enter(this.peek());
    try {
      return this.parseConditional();
    } finally {
      this.depth--;
    }
  }

  private parseConditional(): Node {
    const start = this.peek().start;
    const then = this.parseOr();
    if (!this.isName("if")) return then;
    this.next();
    const test = this.parseOr();
    let otherwise: Node | undefined;
    if (this.isName("else")) {
      this.next();
      otherwise = this.parseExpression();
    }
    return { type: "conditional", test, then, otherwise, start };
  }

  private parseOr(): Node {
    let left = this.parseAnd();
    while (this.isName("or")) {
      this.next();
      left = { type: "logical", op: "or", left, right: this.parseAnd(), start: left.start };
    }
    return left;
  }

  private parseAnd(): Node {
    let left = this.parseNot();
    while (this.isName("and")) {
      this.next();
      left = { type: "logical", op: "and", left, right: this.parseNot(), start: left.start };
    }
    return left;
  }

  private parseNot(): Node {
    if (this.isName("not")) {
      const t = this.next();
      this.enter(t);
      try {
        return { type: "unary", op: "not", operand: this.parseNot(), start: t.start };
      } finally {
        this.depth--;
      }
    }
    return this.parseCompare();
  }

  private parseCompare(): Node {
    const first = this.parseMath1();
    const rest: Array<{ op: CompareOp; operand: Node }> = [];
    for (;;) {
      const t = this.peek();
      let op: CompareOp | undefined;
      if (t.type === "op" && COMPARE_OPS.has(t.value)) {
        op = t.value as CompareOp;
        this.next();
      } else if (this.isName("in")) {
        op = "in";
        this.next();
      } else if (this.isName("not") && this.isName("in", 1)) {
        op = "not in";
        this.next();
        this.next();
      }
      if (!op) break;
      rest.push({ op, operand: this.parseMath1() });
    }
    return rest.length ? { type: "compare", first, rest, start: first.start } : first;
  }

  private parseBinaryLevel(ops: readonly string[], operand: () => Node): Node {
    let left = operand();
    for (;;) {
      const t = this.peek();
      if (t.type !== "op" || !ops.includes(t.value)) return left;
      this.next();
      left = { type: "binary", op: t.value as BinaryOp, left, right: operand(), start: left.start };
    }
  }

  private parseMath1(): Node {
    return this.parseBinaryLevel(["+", "-"], () => this.parseConcat());
  }

  private parseConcat(): Node {
    return this.parseBinaryLevel(["~"], () => this.parseMath2());
  }

  private parseMath2(): Node {
    return this.parseBinaryLevel(["*", "/", "//", "%"], () => this.parsePow());
  }

  private parsePow(): Node {
    return this.parseBinaryLevel(["**"], () => this.parseUnary(true));
  }

  private parseUnary(withFilters: boolean): Node {
    const t = this.peek();
    let node: Node;
    if (t.type === "op" && (t.value === "-" || t.value === "+")) {
      this.next();
      this.enter(t);
      try {
        node = { type: "unary", op: t.value, operand: this.parseUnary(false), start: t.start };
      } finally {
        this.depth--;
      }
    } else {
      node = this.parsePostfix(this.parsePrimary());
    }
    return withFilters ? this.parseFiltersAndTests(node) : node;
  }

  private parsePrimary(): Node {
    const t = this.peek();
    if (t.type === "name") {
      if (KEYWORDS.has(t.value)) throw this.fail(`unexpected keyword '${t.value}'`, t);
      this.next();
      if (t.value in LITERAL_NAMES) return { type: "literal", value: LITERAL_NAMES[t.value], start: t.start };
      return { type: "name", name: t.value, start: t.start };
    }
    if (t.type === "string") {
      this.next();
      let value = t.value;
      // Adjacent string literals concatenate, as in Python.
      while (this.peek().type === "string") value += this.next().value;
      return { type: "literal", value, start: t.start };
    }
    if (t.type === "number") {
      this.next();
      return { type: "literal", value: Number(t.value), start: t.start };
    }
    if (t.type === "op") {
      if (t.value === "(") return this.parseParenthesized();
      if (t.value === "[") return this.parseList();
      if (t.value === "{") return this.parseDict();
    }
    throw this.fail(t.type === "eof" ? "unexpected end of expression" : `unexpected ${describe(t)}`, t);
  }

  private parseParenthesized(): Node {
    const open = this.expectOp("(");
    if (this.isOp(")")) {
      this.next();
      return { type: "tuple", items: [], start: open.start };
    }
    const first = this.parseExpression();
    if (this.isOp(")")) {
      this.next();
      return first;
    }
    const items = [first];
    while (this.isOp(",")) {
      this.next();
      if (this.isOp(")")) break;
      items.push(this.parseExpression());
    }
    this.expectOp(")");
    return { type: "tuple", items, start: open.start };
  }

  private parseList(): Node {
    const open = this.expectOp("[");
    const items: Node[] = [];
    while (!this.isOp("]")) {
      if (items.length) {
        this.expectOp(",");
        if (this.isOp("]")) break;
      }
      items.push(this.parseExpression());
    }
    this.expectOp("]");
    return { type: "list", items, start: open.start };
  }

  private parseDict(): Node {
    const open = this.expectOp("{");
    const entries: Array<{ key: Node; value: Node }> = [];
    while (!this.isOp("}")) {
      if (entries.length) {
        this.expectOp(",");
        if (this.isOp("}")) break;
      }
      const key = this.parseExpression();
      this.expectOp(":");
      entries.push({ key, value: this.parseExpression() });
    }
    this.expectOp("}");
    return { type: "dict", entries, start: open.start };
  }

  private parsePostfix(node: Node): Node {
    for (;;) {
      const t = this.peek();
      if (t.type !== "op") return node;
      if (t.value === ".") {
        this.next();
        const attr = this.next();
        if (attr.type === "name") node = { type: "attr", object: node, name: attr.value, start: node.start };
        else if (attr.type === "number" && /^\d+$/.test(attr.value)) {
          // Jinja reads `x.0` as `x[0]`.
          node = { type: "index", object: node, index: { type: "literal", value: Number(attr.value), start: attr.start }, start: node.start };
        } else throw this.fail(`expected an attribute name after '.' but found ${describe(attr)}`, attr);
      } else if (t.value === "[") {
        node = this.parseSubscript(node);
      } else if (t.value === "(") {
        node = { type: "call", callee: node, ...this.parseCallArgs(), start: node.start };
      } else {
        return node;
      }
    }
  }

  private parseSubscript(object: Node): Node {
    this.expectOp("[");
    const parts: Array<Node | undefined> = [];
    let current: Node | undefined;
    let colons = 0;
    while (!this.isOp("]")) {
      if (this.isOp(":")) {
        this.next();
        parts.push(current);
        current = undefined;
        if (++colons > 2) throw this.fail("too many ':' in slice", this.peek());
        continue;
      }
      if (current) throw this.fail(`expected ']' but found ${describe(this.peek())}`, this.peek());
      current = this.parseExpression();
    }
    const close = this.expectOp("]");
    parts.push(current);
    if (colons === 0) {
      if (!current) throw this.fail("empty index", close);
      return { type: "index", object, index: current, start: object.start };
    }
    const [lower, upper, step] = parts;
    return { type: "slice", object, lower, upper, step, start: object.start };
  }

  private parseCallArgs(): CallArgs {
    this.expectOp("(");
    const args: Node[] = [];
    const kwargs: CallArgs["kwargs"] = [];
    while (!this.isOp(")")) {
      if (args.length || kwargs.length) {
        this.expectOp(",");
        if (this.isOp(")")) break;
      }
      if (this.peek().type === "name" && this.isOp("=", 1)) {
        const name = this.next().value;
        this.next();
        kwargs.push({ name, value: this.parseExpression() });
      } else {
        if (kwargs.length) throw this.fail("positional argument after keyword argument", this.peek());
        args.push(this.parseExpression());
      }
    }
    this.expectOp(")");
    return { args, kwargs };
  }

  /** Filter and test names may be dotted: `ansible.utils.ipaddr`. */
  private parseDottedName(): string {
    let name = this.expectName().value;
    while (this.isOp(".") && this.peek(1).type === "name") {
      this.next();
      name += `.${this.next().value}`;
    }
    return name;
  }

  private parseFiltersAndTests(node: Node): Node {
    for (;;) {
      if (this.isOp("|")) {
        const bar = this.next();
        const name = this.parseDottedName();
        const call = this.isOp("(") ? this.parseCallArgs() : { args: [], kwargs: [] };
        node = { type: "filter", input: node, name, ...call, start: bar.start };
      } else if (this.isName("is")) {
        const is = this.next();
        const negated = this.isName("not");
        if (negated) this.next();
        const name = this.parseDottedName();
        let call: CallArgs = { args: [], kwargs: [] };
        if (this.isOp("(")) call = this.parseCallArgs();
        else if (this.startsBareTestArgument()) {
          // `x is divisibleby 3`, `x is sameas false`: one argument without parentheses.
          call = { args: [this.parsePostfix(this.parsePrimary())], kwargs: [] };
        }
        node = { type: "test", input: node, name, negated, ...call, start: is.start };
      } else {
        return node;
      }
    }
  }

  private startsBareTestArgument(): boolean {
    const t = this.peek();
    if (t.type === "name") return !KEYWORDS.has(t.value);
    if (t.type === "string" || t.type === "number") return true;
    return t.type === "op" && (t.value === "[" || t.value === "{");
  }
}

function describe(t: Token): string {
  if (t.type === "eof") return "the end of the expression";
  if (t.type === "string") return "a string";
  return `'${t.value}'`;
}

/** Parses one expression from source.text[from, to). */
export function parseExpression(source: ExprSource, from = 0, to = source.text.length): Node {
  return new Parser(source, from, to).parseAll();
}
