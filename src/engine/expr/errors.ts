// Building the errors the expression language reports: syntax errors point at the column inside
// the expression (and, when the caller knows it, at file:line:column); unknown names suggest the
// closest known one.
import { closest, distance } from "fastest-levenshtein";
import { KplayError, type ErrorKind, type SourcePosition } from "../errors.js";

/** The text being evaluated and where it came from, carried so errors can point into it. */
export interface ExprSource {
  text: string;
  position?: SourcePosition;
}

/** Where `offset` (0-based, into source.text) is in the user's file, when the file is known. */
export function positionAt(source: ExprSource, offset: number): SourcePosition | undefined {
  const base = source.position;
  if (!base) return undefined;
  const before = source.text.slice(0, offset);
  const lastNewline = before.lastIndexOf("\n");
  if (lastNewline < 0) return { ...base, column: base.column + offset };
  const lines = before.split("\n").length - 1;
  return { file: base.file, line: base.line + lines, column: offset - lastNewline };
}

/** Column (1-based) of `offset` on its own line of the expression text. */
function columnIn(text: string, offset: number): number {
  return offset - text.lastIndexOf("\n", offset - 1);
}

/** `column 5 of "a | b"` for short one-line text; `line 3, column 5` inside longer text. */
function where(text: string, offset: number): string {
  const column = columnIn(text, offset);
  if (!text.includes("\n") && text.length <= 120) return `column ${column} of "${text}"`;
  return `line ${text.slice(0, offset).split("\n").length}, column ${column}`;
}

function caret(text: string, offset: number): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = text.indexOf("\n", offset);
  const line = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
  // formatError prints hints after "  hint: " (8 columns); the caret lines up under that.
  return `${line}\n${" ".repeat(8 + offset - lineStart)}^`;
}

export function syntaxError(message: string, source: ExprSource, offset: number, hint?: string): KplayError {
  return new KplayError({
    kind: "expression",
    message: `${message} at ${where(source.text, offset)}`,
    position: positionAt(source, offset),
    hint: hint ?? caret(source.text, offset),
  });
}

export function exprError(message: string, hint?: string, kind: ErrorKind = "expression"): KplayError {
  return new KplayError({ kind, message, hint });
}

/** Gives a KplayError thrown without a position the caller's position. */
export function locate(err: unknown, position: SourcePosition | undefined): unknown {
  if (err instanceof KplayError && !err.context.position && position) {
    return new KplayError({ ...err.context, position });
  }
  return err;
}

/** "did you mean `default`?" when a close-enough name exists. */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(name, candidates);
  return distance(name, best) <= Math.max(2, Math.floor(name.length / 3)) ? `did you mean \`${best}\`?` : undefined;
}
