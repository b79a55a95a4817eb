// The live line on a terminal while a task waits on hosts: how many still run, which, how long.
import type { TerminalWriter } from "./terminal-writer.js";

// Quick tasks never show it, so the common case stays flicker-free.
const SHOW_AFTER_MS = 1000;
const NAMES_SHOWN = 5;

export class StatusLine {
  private pending = new Set<string>();
  private title = "";
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly out: TerminalWriter) {}

  taskStarted(title: string, hosts: string[]): void {
    if (!this.out.isTTY) return;
    this.taskEnded();
    this.title = title;
    this.pending = new Set(hosts);
    this.startedAt = Date.now();
    this.timer = setInterval(() => this.redraw(), 500);
    this.timer.unref();
  }

  hostDone(host: string): void {
    this.pending.delete(host);
    if (this.pending.size === 0) this.out.setStatus(undefined);
  }

  taskEnded(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.out.setStatus(undefined);
  }

  private redraw(): void {
    const elapsed = Date.now() - this.startedAt;
    if (this.pending.size === 0 || elapsed < SHOW_AFTER_MS) return;
    const names = [...this.pending].slice(0, NAMES_SHOWN).join(", ");
    const more = this.pending.size > NAMES_SHOWN ? `, +${this.pending.size - NAMES_SHOWN} more` : "";
    const text = `[${this.title}] waiting on ${this.pending.size} host${this.pending.size === 1 ? "" : "s"} (${names}${more}) ${Math.floor(elapsed / 1000)}s`;
    this.out.setStatus(text.slice(0, Math.max(20, this.out.columns - 1)));
  }
}
