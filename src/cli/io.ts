// The streams a command reads and writes, so tests can run the CLI in-process.
import { EXIT_INVALID_INPUT, formatError, type ErrorContext } from "../engine/errors.js";

export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const processIO: CliIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

/** Every error found before a run, one after the other; the exit code that says so. */
export function printErrors(errors: ErrorContext[], io: CliIO): number {
  for (const e of errors) io.stderr.write(`${formatError(e)}\n`);
  return EXIT_INVALID_INPUT;
}
