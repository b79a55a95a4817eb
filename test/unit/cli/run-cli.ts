// Runs kplay's main() in-process with captured output and a recording executor.
import { PassThrough, Writable } from "node:stream";
import { main } from "../../../src/cli/main.js";
import type { RunRequest } from "../../../src/cli/run-request.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What the executor was asked to do, when it was called. */
  request?: RunRequest;
}

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

/** @param execute stands in for the executor (default: records the request, exits 0); "real"
 * runs the real executor, its output captured like the rest. */
export async function runCli(args: string[], input = "", execute: ((r: RunRequest) => Promise<number>) | "real" = async () => 0): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const stdin = new PassThrough();
  stdin.end(input);
  let request: RunRequest | undefined;
  const code = await main(["node", "kplay", ...args], {
    io: { stdin, stdout: out.stream, stderr: err.stream },
    ...(execute === "real"
      ? {}
      : {
          run: (r: RunRequest) => {
            request = r;
            return execute(r);
          },
        }),
  });
  return { code, stdout: out.text(), stderr: err.text(), request };
}
