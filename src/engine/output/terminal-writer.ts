// Collects output lines and writes them in one call per event-loop turn, so a task finishing on
// hundreds of hosts costs one write, not hundreds. On a TTY it also owns the live status line:
// erased before normal lines are written, redrawn after.
import type { Writable } from "node:stream";

export class TerminalWriter {
  private pending = "";
  private scheduled = false;
  private status: string | undefined;

  constructor(
    private readonly stream: Writable & { isTTY?: boolean; columns?: number },
  ) {}

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  get columns(): number {
    return this.stream.columns ?? 80;
  }

  line(text: string): void {
    this.pending += `${text}\n`;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Shows (or with undefined, removes) the one-line live status; TTY only. */
  setStatus(text: string | undefined): void {
    if (!this.isTTY || text === this.status) return;
    const erase = this.status !== undefined ? "\r\x1b[K" : "";
    this.status = text;
    this.stream.write(erase + (text ?? ""));
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending === "") return;
    const erase = this.status !== undefined ? "\r\x1b[K" : "";
    const redraw = this.status ?? "";
    this.stream.write(erase + this.pending + redraw);
    this.pending = "";
  }

  async close(): Promise<void> {
    this.setStatus(undefined);
    this.flush();
    if (this.stream.writableNeedDrain) await new Promise((resolve) => this.stream.once("drain", resolve));
  }
}
