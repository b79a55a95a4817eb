// --json: one JSON object per line on stdout, for machines (CI, dashboards).
import type { OutputCallback, RunEvent } from "./events.js";
import type { TerminalWriter } from "./terminal-writer.js";

export class JsonLinesCallback implements OutputCallback {
  constructor(private readonly out: TerminalWriter) {}

  handle(event: RunEvent): void {
    const { type, ...rest } = event;
    this.out.line(JSON.stringify({ event: type, time: new Date().toISOString(), ...rest }));
  }

  async close(): Promise<void> {
    await this.out.close();
  }
}
