// Reads secrets from the terminal for -k / -K without echoing them. One reader serves every
// question, so answers piped in together (`printf 'a\nb\n' | kplay -k -K`) are not lost.
import { createInterface } from "node:readline";
import { Writable } from "node:stream";

export class SecretPrompt {
  private readonly lines: AsyncIterator<string>;
  private readonly close: () => void;

  constructor(input: NodeJS.ReadableStream, private readonly output: NodeJS.WritableStream) {
    // Keystrokes go nowhere: readline would echo them to its output.
    const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = createInterface({ input, output: silent, terminal: (input as { isTTY?: boolean }).isTTY === true });
    this.lines = rl[Symbol.asyncIterator]();
    this.close = () => rl.close();
  }

  async ask(question: string): Promise<string> {
    this.output.write(question);
    const { value, done } = await this.lines.next();
    this.output.write("\n");
    if (done) throw new Error(`no answer to "${question.trim()}": input ended`);
    return value;
  }

  done(): void {
    this.close();
  }
}
