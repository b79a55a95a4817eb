// The results as a markdown table: times, control CPU and memory, load, ratios to Ansible and the
// two floors, and kplay's own cost per task per host.
import type { Measurement } from "./measure.js";
import { summarize, type Summary } from "./stats.js";

export interface EngineResult {
  engine: string;
  /** Why this engine did not run here. */
  unavailable?: string;
  first?: Measurement;
  firstChanged?: number;
  noop?: Summary;
  noopRuns?: Measurement[];
}

export interface Report {
  started: string;
  hosts: number;
  light: boolean;
  direct?: boolean;
  repeat: number;
  cpus: number;
  node: string;
  results: EngineResult[];
}

const LABELS: Record<string, string> = {
  kplay: "kplay",
  ansible: "ansible-playbook (pipelining, ControlPersist)",
  mitogen: "ansible + Mitogen (mitogen_linear)",
  floor: "floor: OpenSSH, 1 ControlMaster/host, 30 round trips",
  prototype: "floor: raw ssh2 prototype, 1 sh/host, 30 round trips",
  local: "kplay, ansible_connection=local (no network)",
  startup: "kplay, empty play (fixed cost)",
};

const ON_REAL_HOSTS = new Set(["kplay", "ansible", "mitogen", "floor", "prototype"]);

/** Task runs per host in a no-op run of bench/workload.yml: 30 tasks, one a loop of 5, one skipped. */
export const TASK_RUNS_PER_HOST = 34;

const s = (x: number) => `${x.toFixed(2)} s`;
function ratio(a: number | undefined, b: number | undefined): string {
  if (a === undefined || b === undefined || b <= 0) return "–";
  // Two digits below 1: "0.2x" would hide the difference between 0.15x and 0.24x.
  return `${(a / b).toFixed(a / b < 1 ? 2 : 1)}x`;
}
const medianCpu = (r: EngineResult | undefined) => (r?.noopRuns ? summarize(r.noopRuns.map((m) => m.cpuSeconds)).median : undefined);
/** Local hosts are the control machine itself: no container spends anything for them. */
function medianHostsCpu(r: EngineResult): string {
  const samples = ON_REAL_HOSTS.has(r.engine) ? r.noopRuns?.map((m) => m.hostsCpuSeconds) : undefined;
  return samples && samples.every((x) => x !== undefined) ? s(summarize(samples as number[]).median) : "–";
}

/** No-op medians the rows are compared with. */
interface Baselines {
  ansible?: number;
  floor?: number;
  prototype?: number;
}

function row(r: EngineResult, base: Baselines): string {
  const label = LABELS[r.engine] ?? r.engine;
  if (r.unavailable || !r.noop || !r.noopRuns) return `| ${label} | not run: ${r.unavailable ?? "no result"} | | | | | | | | |`;
  const first = r.first ? `${s(r.first.wallSeconds)} (${r.firstChanged ?? "?"} changed; load ${r.first.loadAverage.toFixed(1)})` : "–";
  const rss = Math.max(...[r.first, ...r.noopRuns].filter((m): m is Measurement => m !== undefined).map((m) => m.maxRssMb));
  const loads = r.noopRuns.map((m) => m.loadAverage.toFixed(1)).join(", ");
  // Local hosts do other work than real ones: ratios would compare unlike things.
  const ratios = ON_REAL_HOSTS.has(r.engine)
    ? `${ratio(base.ansible, r.noop.median)} | ${ratio(r.noop.median, base.floor)} | ${ratio(r.noop.median, base.prototype)}`
    : "– | – | –";
  return `| ${label} | ${first} | ${s(r.noop.min)} / ${s(r.noop.median)} | ${loads} | ${s(medianCpu(r)!)} | ${medianHostsCpu(r)} | ${rss.toFixed(0)} MB | ${ratios} |`;
}

/** What kplay spends per task per host beyond its fixed cost, in wall time (local hosts) and CPU (real hosts). */
function perTaskLines(report: Report): string[] {
  const find = (engine: string) => report.results.find((r) => r.engine === engine);
  const startup = find("startup");
  if (!startup?.noop) return [];
  const runs = report.hosts * TASK_RUNS_PER_HOST;
  const ms = (seconds: number) => `${((seconds / runs) * 1000).toFixed(2)} ms`;
  const lines: string[] = [];
  const local = find("local")?.noop?.median;
  if (local !== undefined) lines.push(`- wall, local hosts: (${s(local)} − empty play ${s(startup.noop.median)}) / (${report.hosts} hosts × ${TASK_RUNS_PER_HOST} task runs) = ${ms(local - startup.noop.median)}`);
  const kplayCpu = medianCpu(find("kplay"));
  const startupCpu = medianCpu(startup)!;
  if (kplayCpu !== undefined) lines.push(`- control CPU, real hosts (SSH included): (${s(kplayCpu)} − empty play ${s(startupCpu)}) / ${runs} = ${ms(kplayCpu - startupCpu)}`);
  return lines.length > 0 ? ["kplay's own cost per task per host (no-op medians):", ...lines, ""] : [];
}

export function formatReport(report: Report): string {
  const median = (engine: string) => report.results.find((r) => r.engine === engine)?.noop?.median;
  const base: Baselines = { ansible: median("ansible"), floor: median("floor"), prototype: median("prototype") };
  return [
    `${report.hosts} ${report.light ? "light (sshd only)" : "systemd"} hosts${report.direct ? " at their container addresses" : " through Docker's published ports"}, ${report.cpus} cores, Node ${report.node}, started ${report.started}, ${report.repeat} no-op runs of kplay`,
    "",
    "| engine | first run | no-op re-run min / median | load (1 min) at each no-op run | control CPU (no-op median) | hosts' CPU (no-op median) | peak RSS (largest control process) | Ansible ÷ this (no-op) | this ÷ OpenSSH floor (no-op) | this ÷ ssh2 prototype (no-op) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.results.map((r) => row(r, base)),
    "",
    ...perTaskLines(report),
  ].join("\n");
}
