// One timed run of a control-side command: wall time, the peak resident memory of its largest
// process (GNU time's %M), the exit code, and the machine's load average when it started, since
// on a shared 2-core machine a figure means little without it.
import { spawn } from "node:child_process";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { containersCpuSeconds } from "./hosts-cpu.js";

export interface Measurement {
  wallSeconds: number;
  /** User + system CPU time of the command and its children: less disturbed by load than wall time. */
  cpuSeconds: number;
  maxRssMb: number;
  /** CPU the host containers spent meanwhile (bench/hosts-cpu.ts); undefined where it cannot be read. */
  hostsCpuSeconds?: number;
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
  const hostsCpuBefore = containersCpuSeconds();
  const started = process.hrtime.bigint();
  // Output goes to a file, not a pipe: a pipe that the (busy) benchmark drains late blocks the
  // engine's synchronous stdout writes and would be counted as the engine's time.
  const outputFile = path.join(dir, "output");
  const outputFd = await open(outputFile, "w");
  const exitCode = await new Promise<number>((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "%U %S %M", "-o", timeFile, command, ...args], { env: env ?? process.env, cwd, stdio: ["ignore", outputFd.fd, outputFd.fd] });
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? -1));
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const hostsCpuAfter = containersCpuSeconds();
  const hostsCpu = hostsCpuBefore !== undefined && hostsCpuAfter !== undefined ? { hostsCpuSeconds: hostsCpuAfter - hostsCpuBefore } : {};
  await outputFd.close();
  const output = await readFile(outputFile, "utf8");
  // GNU time writes "Command exited with non-zero status N" before the figure when the command fails.
  const [user, system, maxRssKb] = (await readFile(timeFile, "utf8")).trim().split("\n").at(-1)!.split(" ").map(Number);
  await rm(dir, { recursive: true, force: true });
  return { wallSeconds, cpuSeconds: user + system, maxRssMb: maxRssKb / 1024, ...hostsCpu, exitCode, loadAverage, output };
}

/** The last lines of a run's output, to show why it failed. */
export function outputTail(m: Measurement, lines = 25): string {
  return m.output.trimEnd().split("\n").slice(-lines).join("\n");
}
