// The wire protocol of a persistent shell: how one command is written to a long-lived `sh`
// and how its end is recognised. See docs/connection.md for the reasoning.
import { randomBytes } from "node:crypto";
import { KplayError } from "../errors.js";
import { shellQuote } from "../shell-quote.js";
import type { RunOptions } from "./types.js";

/** Seconds `timeout` waits after TERM before it sends KILL. */
const KILL_AFTER_SECONDS = 2;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A random token, unique per shell session; markers built from it cannot occur in real output by chance. */
export function newSessionToken(): string {
  return randomBytes(12).toString("hex");
}

export interface FramedCommand {
  /** Text written to the control shell's stdin. */
  script: string;
  /** Printed on stdout right after the command followed by its exit code and "\n", and on stderr followed by "\n". */
  marker: string;
}

/** The command line with its per-command env and cwd in front. */
function innerScript(command: string, options: RunOptions): string {
  const lines: string[] = [];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (!ENV_NAME.test(name)) {
      throw new KplayError({ kind: "runtime", message: `invalid environment variable name "${name}"` });
    }
    lines.push(`export ${name}=${shellQuote(value)}`);
  }
  if (options.cwd !== undefined) lines.push(`cd -- ${shellQuote(options.cwd)} || exit`);
  lines.push(command);
  return lines.join("\n");
}

function stdinBytes(stdin: RunOptions["stdin"]): Buffer | undefined {
  if (stdin === undefined) return undefined;
  const bytes = typeof stdin === "string" ? Buffer.from(stdin, "utf8") : stdin;
  return bytes.length > 0 ? bytes : undefined;
}

/** The command's time limit in ms, when it has one (0 or less means none). */
export function timeLimit(options: RunOptions): number | undefined {
  return options.timeoutMs !== undefined && options.timeoutMs > 0 ? options.timeoutMs : undefined;
}

/**
 * Builds the text for one command. The command reaches the control shell only as quoted data
 * for `eval` in a subshell (or `sh -c` under `timeout`), so a syntax error in it fails that
 * subshell alone and nothing it changes (cd, export, umask) outlives it. Its stdin never comes
 * from the control stream: either /dev/null or a base64 heredoc (binary-safe, and the heredoc
 * delimiter cannot occur in base64 text).
 */
export function frameCommand(token: string, seq: number, command: string, options: RunOptions = {}): FramedCommand {
  const marker = `__kplay_${token}_${seq}__`;
  const script = shellQuote(innerScript(command, options));
  // A subshell costs a fork; `timeout` needs a program to run, hence `sh -c` there.
  const limit = timeLimit(options);
  const run = limit !== undefined
    ? `timeout -k ${KILL_AFTER_SECONDS} ${(Math.max(limit, 1) / 1000).toFixed(3)} sh -c ${script}`
    : `( eval ${script} )`;
  const input = stdinBytes(options.stdin);
  const body = input === undefined
    ? `${run} </dev/null\n`
    : `base64 -d <<'${marker}IN' | ${run}\n${input.toString("base64").replace(/.{1,76}/g, "$&\n")}${marker}IN\n`;
  return {
    script: `${body}printf '%s%d\\n' '${marker}' "$?"\nprintf '%s\\n' '${marker}' >&2\n`,
    marker,
  };
}

/** Exit codes `timeout` reports when it had to end the command (TERM, or KILL after the grace period). */
export function isTimeoutExit(rc: number): boolean {
  return rc === 124 || rc === 137;
}
