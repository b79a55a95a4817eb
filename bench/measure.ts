// One timed run of a control-side command: wall time, the peak resident memory of its largest
// process (GNU time's %M), the exit code, and the machine's load average when it started, since
// on a shared 2-core machine a figure means little without it.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface Measurement {
  wallSeconds: number;
  maxRssMb: number;
  exitCode: number;
  loadAverage: number;
  /** stdout and stderr, interleaved. */
  output: string;
}

export interface TimedCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export async function measure({ command, args, env, cwd }: TimedCommand): Promise<Measurement> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kplay-bench-time-"));
  const timeFile = path.join(dir, "time");
  const loadAverage = os.loadavg()[0];
  const started = process.hrtime.bigint();
  const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%M", "-o", timeFile, command, ...args], { env: env ?? process.env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ exitCode: code ?? -1, output: Buffer.concat(chunks).toString("utf8") }));
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
  const maxRssKb = Number((await readFile(timeFile, "utf8")).trim().split("\n").at(-1));
  await rm(dir, { recursive: true, force: true });
  return { wallSeconds, maxRssMb: maxRssKb / 1024, exitCode, loadAverage, output };
}

/** The last lines of a run's output, to show why it failed. */
export function outputTail(m: Measurement, lines = 25): string {
  return m.output.trimEnd().split("\n").slice(-lines).join("\n");
}
