// Reads a secret from the terminal for -k / -K without echoing it.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

export async function promptSecret(question: string, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): Promise<string> {
  output.write(question);
  // Keystrokes go nowhere: readline would echo them to its output.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input, output: silent, terminal: (input as { isTTY?: boolean }).isTTY === true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once("line", resolve);
      rl.once("close", () => reject(new Error("no password given: input ended")));
    });
  } finally {
    rl.close();
    output.write("\n");
  }
}
