// Parses a templated string into a tree: literal text, `{{ expr }}`, and the statements variables
// use in Ansible roles: `{% if %}{% elif %}{% else %}{% endif %}`, `{% for x in xs if c %}
// {% else %}{% endfor %}`, `{% set x = expr %}`, `{% raw %}`. `{# comments #}` are dropped.
// Whitespace control (`{{-`, `-%}`) and Ansible's trim_blocks (the newline right after a
// `%}` or `#}` is removed) follow Jinja.
import type { Node } from "./ast.js";
import { syntaxError, type ExprSource } from "./errors.js";
import { Parser } from "./parser.js";

export type TemplateNode =
  | { kind: "text"; text: string }
  /** `start` is the offset of the opening delimiter in the source text, for error positions. */
  | { kind: "expr"; node: Node; start: number }
  | { kind: "if"; branches: Array<{ test?: Node; body: TemplateNode[] }>; start: number }
  | { kind: "for"; targets: string[]; iterable: Node; filter?: Node; body: TemplateNode[]; otherwise: TemplateNode[]; start: number }
  | { kind: "set"; name: string; value: Node; start: number };

export interface ParsedTemplate {
  nodes: TemplateNode[];
  /** Uses {% %} statements (rendering then needs local variables). */
  hasStatements: boolean;
}

/** True when a string contains template markup that rendering would change. */
export function hasTemplateMarkup(text: string): boolean {
  return text.includes("{{") || text.includes("{%") || text.includes("{#");
}

/** Offset of `closer` ending a tag whose content starts at `from`, skipping strings and brackets. */
function findTagEnd(source: ExprSource, from: number, open: number, closer: "}}" | "%}"): number {
  const text = source.text;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
      continue;
    }
    if (depth === 0 && text.startsWith(closer, i)) return i;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
  }
  throw syntaxError(`'${text.slice(open, open + 2)}' is never closed with '${closer}'`, source, open);
}

type OpenBlock =
  | { kind: "if"; node: Extract<TemplateNode, { kind: "if" }>; sawElse: boolean }
  | { kind: "for"; node: Extract<TemplateNode, { kind: "for" }>; sawElse: boolean };

class TreeBuilder {
  readonly root: TemplateNode[] = [];
  private readonly open: OpenBlock[] = [];
  private current: TemplateNode[] = this.root;
  private lastText?: { kind: "text"; text: string };
  hasStatements = false;

  constructor(private readonly source: ExprSource) {}

  text(t: string, trimStart: boolean): void {
    const text = trimStart ? t.replace(/^\s+/, "") : t;
    if (!text) return;
    this.lastText = { kind: "text", text };
    this.current.push(this.lastText);
  }

  /** `{{-` / `{%-`: the whitespace just before the tag goes. */
  trimPrevious(): void {
    if (this.lastText) this.lastText.text = this.lastText.text.replace(/\s+$/, "");
  }

  push(node: TemplateNode): void {
    this.lastText = undefined;
    this.current.push(node);
  }

  statement(keyword: string, from: number, to: number, start: number): void {
    this.hasStatements = true;
    this.lastText = undefined;
    const parser = (): Parser => new Parser(this.source, from, to);
    const top = this.open[this.open.length - 1];
    switch (keyword) {
      case "if": {
        const node: Extract<TemplateNode, { kind: "if" }> = { kind: "if", branches: [{ test: parser().parseAll(), body: [] }], start };
        this.push(node);
        this.open.push({ kind: "if", node, sawElse: false });
        this.current = node.branches[0].body;
        return;
      }
      case "elif": {
        if (top?.kind !== "if" || top.sawElse) throw this.misplaced(keyword, start);
        const branch = { test: parser().parseAll(), body: [] as TemplateNode[] };
        top.node.branches.push(branch);
        this.current = branch.body;
        return;
      }
      case "else": {
        if (!top || top.sawElse) throw this.misplaced(keyword, start);
        this.expectNothing(from, to);
        top.sawElse = true;
        if (top.kind === "if") {
          const branch = { body: [] as TemplateNode[] };
          top.node.branches.push(branch);
          this.current = branch.body;
        } else this.current = top.node.otherwise;
        return;
      }
      case "for": {
        const header = parser().parseLoopHeader();
        const node: Extract<TemplateNode, { kind: "for" }> = { kind: "for", ...header, body: [], otherwise: [], start };
        this.push(node);
        this.open.push({ kind: "for", node, sawElse: false });
        this.current = node.body;
        return;
      }
      case "endif":
      case "endfor": {
        if (top?.kind !== keyword.slice(3)) throw this.misplaced(keyword, start);
        this.expectNothing(from, to);
        this.open.pop();
        this.current = this.bodyOf(this.open[this.open.length - 1]);
        return;
      }
      case "set": {
        const m = /^\s*([A-Za-z_]\w*)\s*=/.exec(this.source.text.slice(from, to));
        if (!m) throw syntaxError("expected `{% set name = value %}`", this.source, from);
        this.push({ kind: "set", name: m[1], value: new Parser(this.source, from + m[0].length, to).parseAll(), start });
        return;
      }
      default:
        throw syntaxError(
          `unknown statement '${keyword}'`,
          this.source,
          start,
          "supported statements: if/elif/else/endif, for/else/endfor, set, raw/endraw",
        );
    }
  }

  finish(): TemplateNode[] {
    const top = this.open[this.open.length - 1];
    if (top) throw syntaxError(`'{% ${top.kind} %}' is never closed with '{% end${top.kind} %}'`, this.source, top.node.start);
    return this.root;
  }

  private bodyOf(block: OpenBlock | undefined): TemplateNode[] {
    if (!block) return this.root;
    if (block.kind === "for") return block.sawElse ? block.node.otherwise : block.node.body;
    return block.node.branches[block.node.branches.length - 1].body;
  }

  private expectNothing(from: number, to: number): void {
    const extra = this.source.text.slice(from, to).search(/\S/);
    if (extra >= 0) throw syntaxError("unexpected text in statement", this.source, from + extra);
  }

  private misplaced(keyword: string, start: number): Error {
    return syntaxError(`'{% ${keyword} %}' without a matching opening statement`, this.source, start);
  }
}

export function parseTemplateString(source: ExprSource): ParsedTemplate {
  const text = source.text;
  const tree = new TreeBuilder(source);
  let pos = 0;
  let trimNext = false;
  while (pos < text.length) {
    const open = text.slice(pos).search(/\{[{%#]/);
    if (open < 0) {
      tree.text(text.slice(pos), trimNext);
      break;
    }
    const at = pos + open;
    tree.text(text.slice(pos, at), trimNext);
    trimNext = false;
    const kind = text[at + 1];
    let inner = at + 2;
    if (text[inner] === "-") {
      tree.trimPrevious();
      inner++;
    } else if (text[inner] === "+") inner++;
    let close: number;
    if (kind === "#") {
      close = text.indexOf("#}", inner);
      if (close < 0) throw syntaxError("'{#' comment is never closed with '#}'", source, at);
    } else close = findTagEnd(source, inner, at, kind === "{" ? "}}" : "%}");
    let end = close;
    if (text[close - 1] === "-" && close - 1 >= inner) {
      end = close - 1;
      trimNext = true;
    }
    pos = close + 2;
    if (kind === "{") {
      tree.push({ kind: "expr", node: new Parser(source, inner, end).parseAll(), start: at });
      continue;
    }
    if (kind === "%") {
      const keyword = /^\s*([A-Za-z_]\w*)/.exec(text.slice(inner, end));
      if (!keyword) throw syntaxError("expected a statement name after '{%'", source, inner);
      const from = inner + keyword[0].length;
      if (keyword[1] === "raw") {
        const endRaw = /\{%-?\s*endraw\s*-?%\}/.exec(text.slice(pos));
        if (!endRaw) throw syntaxError("'{% raw %}' is never closed with '{% endraw %}'", source, at);
        tree.text(text.slice(pos, pos + endRaw.index), trimNext);
        trimNext = endRaw[0].endsWith("-%}");
        pos += endRaw.index + endRaw[0].length;
      } else tree.statement(keyword[1], from, end, at);
    }
    // trim_blocks: a block or comment tag swallows the newline that follows it.
    if (!trimNext && text[pos] === "\n") pos++;
    else if (!trimNext && text.startsWith("\r\n", pos)) pos += 2;
  }
  return { nodes: tree.finish(), hasStatements: tree.hasStatements };
}
