// Appends journal lines without blocking the run: the file is created atomically with its first
// lines (header, and what a resumed run carries over), then results go through a buffered stream,
// flushed by close() at the end of the run (also after SIGINT or a failure).
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomicSync } from "../atomic-file.js";
import type { JournalLine } from "./format.js";

export class JournalWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private pending = "";

  constructor(
    readonly path: string,
    first: JournalLine[],
  ) {
    mkdirSync(dirname(path), { recursive: true });
    // Resuming may replace the journal it read: the old file stays whole until the new one is.
    writeFileAtomicSync(path, first.map(serialize).join(""));
    this.stream = createWriteStream(path, { flags: "a" });
    this.stream.on("error", (e) => (this.failure ??= e));
  }

  append(line: JournalLine): void {
    if (this.failure) return;
    // Lines of one event-loop turn go out in one write.
    if (this.pending === "") setImmediate(this.flush);
    this.pending += serialize(line);
  }

  private readonly flush = (): void => {
    if (this.pending !== "" && !this.failure) this.stream.write(this.pending);
    this.pending = "";
  };

  /** Flushes and closes; rejects when the file could not be written. */
  async close(last: JournalLine): Promise<void> {
    this.append(last);
    this.flush();
    await new Promise<void>((resolve) => this.stream.end(resolve));
    if (this.failure) throw this.failure;
  }
}

function serialize(line: JournalLine): string {
  return `${JSON.stringify(line)}\n`;
}
