// Errors are values with context. Loaders collect them; the CLI formats them once.

export interface SourcePosition {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
}

export type ErrorKind =
  | "usage" // bad command line
  | "inventory"
  | "playbook"
  | "variable"
  | "expression"
  | "template"
  | "module-args"
  | "connection"
  | "runtime";

export interface ErrorContext {
  kind: ErrorKind;
  /** What is wrong, in one sentence an operator understands. */
  message: string;
  /** Where it is, when it comes from a file the user wrote. */
  position?: SourcePosition;
  /** How to fix it ("did you mean `notify`?", "add the key with ssh-keyscan ..."). */
  hint?: string;
  host?: string;
  task?: string;
}

/** Exit code 5 covers every error found before a run starts (Ansible has none; kplay adds it). */
export const EXIT_INVALID_INPUT = 5;

export class KplayError extends Error {
  readonly context: ErrorContext;
  constructor(context: ErrorContext) {
    super(context.message);
    this.name = "KplayError";
    this.context = context;
  }
}

export function formatPosition(pos: SourcePosition): string {
  return `${pos.file}:${pos.line}:${pos.column}`;
}

/** One line per error, position first so editors and terminals can jump to it. */
export function formatError(ctx: ErrorContext): string {
  const where = ctx.position ? `${formatPosition(ctx.position)}: ` : "";
  const who = [ctx.host && `host ${ctx.host}`, ctx.task && `task "${ctx.task}"`].filter(Boolean).join(", ");
  const head = `ERROR: ${where}${ctx.message}${who ? ` (${who})` : ""}`;
  return ctx.hint ? `${head}\n  hint: ${ctx.hint}` : head;
}

export function isKplayError(e: unknown): e is KplayError {
  return e instanceof KplayError;
}
