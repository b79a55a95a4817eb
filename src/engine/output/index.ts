// Builds the callbacks a run asked for. Everything a run shows goes through the returned bus.
import { EventBus, type OutputCallback } from "./events.js";
import { HumanCallback } from "./human.js";
import { JsonLinesCallback } from "./json-lines.js";
import { LogFileCallback } from "./log-file.js";
import { ProfileCallback } from "./profile.js";
import { TerminalWriter } from "./terminal-writer.js";

export interface OutputOptions {
  verbosity: number;
  json: boolean;
  logFile?: string;
  profile: boolean;
}

export function createOutput(
  options: OutputOptions,
  stdout: NodeJS.WritableStream = process.stdout,
  stderr: NodeJS.WritableStream = process.stderr,
): EventBus {
  const out = new TerminalWriter(stdout as never);
  const err = new TerminalWriter(stderr as never);
  const callbacks: OutputCallback[] = [];
  if (options.json) callbacks.push(new JsonLinesCallback(out));
  else {
    const color = out.isTTY && !process.env.NO_COLOR;
    callbacks.push(new HumanCallback(out, err, { verbosity: options.verbosity, color }));
    if (options.profile) callbacks.push(new ProfileCallback(out));
  }
  if (options.logFile) callbacks.push(new LogFileCallback(options.logFile, options.verbosity));
  return new EventBus(callbacks);
}

export { EventBus } from "./events.js";
export type { HostStats, HostStatus, OutputCallback, RunEvent, TaskInfo } from "./events.js";
export { emptyStats } from "./events.js";
