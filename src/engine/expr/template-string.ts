// Splits a templated string ("{{ a }}/conf {# note #}") into literal text and parsed expressions.
// Handles `{{- -}}` whitespace control and finds the closing `}}` outside strings and brackets.
import type { Node } from "./ast.js";
import { syntaxError, type ExprSource } from "./errors.js";
import { parseExpression } from "./parser.js";

export type Segment =
  | { kind: "text"; text: string }
  /** `start` is the offset of `{{` in the source text, for error positions. */
  | { kind: "expr"; node: Node; start: number };

/** True when a string contains template markup that rendering would change. */
export function hasTemplateMarkup(text: string): boolean {
  return text.includes("{{") || text.includes("{%") || text.includes("{#");
}

/** Offset of the `}}` closing an expression that starts at `from`, skipping strings and brackets. */
function findExpressionEnd(source: ExprSource, from: number, open: number): number {
  const text = source.text;
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
      continue;
    }
    if (depth === 0 && text.startsWith("}}", i)) return i;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if ((c === ")" || c === "]" || c === "}") && depth > 0) depth--;
  }
  throw syntaxError("'{{' is never closed with '}}'", source, open);
}

export function parseTemplateString(source: ExprSource): Segment[] {
  const text = source.text;
  const segments: Segment[] = [];
  let pos = 0;
  let trimNextText = false;
  const pushText = (s: string): void => {
    const t = trimNextText ? s.replace(/^\s+/, "") : s;
    trimNextText = false;
    if (t) segments.push({ kind: "text", text: t });
  };
  const trimPreviousText = (): void => {
    const last = segments[segments.length - 1];
    if (last?.kind === "text") {
      last.text = last.text.replace(/\s+$/, "");
      if (!last.text) segments.pop();
    }
  };
  while (pos < text.length) {
    const open = text.slice(pos).search(/\{[{%#]/);
    if (open < 0) {
      pushText(text.slice(pos));
      break;
    }
    const at = pos + open;
    pushText(text.slice(pos, at));
    const kind = text[at + 1];
    let inner = at + 2;
    if (text[inner] === "-") {
      trimPreviousText();
      inner++;
    } else if (text[inner] === "+") inner++;
    if (kind === "#") {
      const close = text.indexOf("#}", inner);
      if (close < 0) throw syntaxError("'{#' comment is never closed with '#}'", source, at);
      if (text[close - 1] === "-") trimNextText = true;
      pos = close + 2;
      continue;
    }
    if (kind === "%") {
      throw syntaxError(
        "statements ({% ... %}) are not supported in templated strings",
        source,
        at,
        "use an inline if ({{ a if cond else b }}) or filters; Handlebars templates have #if and #each",
      );
    }
    const close = findExpressionEnd(source, inner, at);
    let end = close;
    if (text[close - 1] === "-" && close - 1 >= inner) {
      end = close - 1;
      trimNextText = true;
    }
    segments.push({ kind: "expr", node: parseExpression(source, inner, end), start: at });
    pos = close + 2;
  }
  return segments;
}
