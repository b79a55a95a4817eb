// The results as a markdown table: times, peak memory, load, and ratios to Ansible and the floor.
import type { Measurement } from "./measure.js";
import type { Summary } from "./stats.js";

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
  local: "kplay, ansible_connection=local (no network)",
};

const s = (x: number) => `${x.toFixed(2)} s`;
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined && b > 0 ? `${(a / b).toFixed(1)}x` : "–");
const loads = (ms: Measurement[]) => ms.map((m) => m.loadAverage.toFixed(1)).join("/");

export function formatReport(report: Report): string {
  const median = (engine: string) => report.results.find((r) => r.engine === engine)?.noop?.median;
  const ansible = median("ansible");
  const floor = median("floor");
  const rows = report.results.map((r) => {
    const label = LABELS[r.engine] ?? r.engine;
    if (r.unavailable || !r.noop || !r.noopRuns) return `| ${label} | not run: ${r.unavailable ?? "no result"} | | | | | |`;
    const first = r.first ? `${s(r.first.wallSeconds)} (${r.firstChanged ?? "?"} changed; load ${r.first.loadAverage.toFixed(1)})` : "–";
    const rss = Math.max(...[r.first, ...r.noopRuns].filter((m): m is Measurement => m !== undefined).map((m) => m.maxRssMb));
    const noop = `${s(r.noop.min)} / ${s(r.noop.median)}`;
    return `| ${label} | ${first} | ${noop} | ${loads(r.noopRuns)} | ${rss.toFixed(0)} MB | ${ratio(ansible, r.noop.median)} | ${ratio(r.noop.median, floor)} |`;
  });
  return [
    `${report.hosts} ${report.light ? "light (sshd only)" : "systemd"} hosts, ${report.cpus} cores, Node ${report.node}, started ${report.started}, ${report.repeat} no-op runs each`,
    "",
    "| engine | first run | no-op re-run min / median | load (1 min) at each no-op run | peak RSS (largest control process) | Ansible ÷ this (no-op) | this ÷ floor (no-op) |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
