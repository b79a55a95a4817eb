// --profile: the slowest tasks after the recap, in the layout of Ansible's profile_tasks callback.
import type { OutputCallback, RunEvent } from "./events.js";
import type { TerminalWriter } from "./terminal-writer.js";

const SHOWN = 20;

export class ProfileCallback implements OutputCallback {
  private readonly durations = new Map<string, { title: string; ms: number }>();

  constructor(private readonly out: TerminalWriter) {}

  handle(event: RunEvent): void {
    if (event.type === "task_end") {
      const prev = this.durations.get(event.task.id);
      // Under `free` a task ends once per host; its time is the longest of them.
      this.durations.set(event.task.id, { title: event.task.title, ms: Math.max(prev?.ms ?? 0, event.durationMs) });
    } else if (event.type === "recap") {
      for (const line of profileLines([...this.durations.values()])) this.out.line(line);
    }
  }

  async close(): Promise<void> {
    await this.out.close();
  }
}

export function profileLines(tasks: Array<{ title: string; ms: number }>, width = 79): string[] {
  const slowest = [...tasks].sort((a, b) => b.ms - a.ms).slice(0, SHOWN);
  const lines = ["=".repeat(width)];
  for (const t of slowest) {
    const time = ` ${(t.ms / 1000).toFixed(2)}s`;
    lines.push(`${t.title} `.padEnd(width - 9, "-") + time.padStart(9, "-"));
  }
  lines.push("");
  return lines;
}
