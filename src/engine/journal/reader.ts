// Reads a journal back. A partial last line is what a crash leaves and is dropped; anything else
// that is not a journal line means the file cannot be trusted to resume from.
import { readFileSync } from "node:fs";
import type { ErrorContext } from "../errors.js";
import { JOURNAL_FORMAT, type FooterLine, type HeaderLine, type ResultLine } from "./format.js";

export interface Journal {
  path: string;
  header: HeaderLine;
  results: ResultLine[];
  /** Absent when the run did not end normally (crash, kill). */
  footer?: FooterLine;
}

const START_OVER = "run without --resume to start from the top, or give --journal ANOTHER_FILE";

function corrupt(path: string, line: number, why: string): ErrorContext {
  return {
    kind: "usage",
    message: `the journal ${path} cannot be resumed from: line ${line} ${why}`,
    position: { file: path, line, column: 1 },
    hint: START_OVER,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses journal text; `path` only names the file in errors. */
export function parseJournal(path: string, text: string): { journal?: Journal; errors: ErrorContext[] } {
  const lines = text.split("\n");
  // A complete journal ends with a newline; whatever follows the last one was cut by a crash.
  lines.pop();
  if (lines.length === 0) return { errors: [corrupt(path, 1, "is missing: the file holds no complete line")] };
  const parsed: unknown[] = [];
  for (let i = 0; i < lines.length; i++) {
    try {
      parsed.push(JSON.parse(lines[i]));
    } catch {
      return { errors: [corrupt(path, i + 1, "is not JSON: the file is truncated or corrupt in the middle")] };
    }
  }
  const [header, ...rest] = parsed;
  if (!isObject(header) || header.t !== "header") return { errors: [corrupt(path, 1, "is not a journal header")] };
  if (header.format !== JOURNAL_FORMAT) {
    return { errors: [corrupt(path, 1, `has journal format ${String(header.format)}, this kplay reads format ${JOURNAL_FORMAT}`)] };
  }
  const results: ResultLine[] = [];
  let footer: FooterLine | undefined;
  for (let i = 0; i < rest.length; i++) {
    const line = rest[i];
    const number = i + 2;
    if (footer) return { errors: [corrupt(path, number, "follows the footer")] };
    if (isObject(line) && line.t === "result" && typeof line.host === "string" && typeof line.task === "string" && typeof line.status === "string") {
      results.push(line as unknown as ResultLine);
    } else if (isObject(line) && line.t === "footer") {
      footer = line as unknown as FooterLine;
    } else {
      return { errors: [corrupt(path, number, "is not a journal result line")] };
    }
  }
  return { journal: { path, header: header as unknown as HeaderLine, results, ...(footer ? { footer } : {}) }, errors: [] };
}

export function readJournal(path: string): { journal?: Journal; errors: ErrorContext[] } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    return { errors: [{ kind: "usage", message: `the journal ${path} cannot be read: ${(e as Error).message}`, hint: START_OVER }] };
  }
  return parseJournal(path, text);
}

export { START_OVER };
