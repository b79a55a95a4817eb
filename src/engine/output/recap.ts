// The PLAY RECAP block, spaced exactly like Ansible's default callback ("%-26s : ok=%-4s ...").
import type { HostStats } from "./events.js";

const COUNTERS: Array<keyof HostStats> = ["ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"];

export type Paint = (kind: "ok" | "changed" | "skipped" | "failed" | "unreachable" | "plain", text: string) => string;

const noPaint: Paint = (_kind, text) => text;

function hostKind(s: HostStats): "failed" | "changed" | "ok" {
  if (s.failed > 0 || s.unreachable > 0) return "failed";
  return s.changed > 0 ? "changed" : "ok";
}

const COUNTER_KIND: Record<keyof HostStats, Parameters<Paint>[0]> = {
  ok: "ok",
  changed: "changed",
  unreachable: "unreachable",
  failed: "failed",
  skipped: "skipped",
  rescued: "ok",
  ignored: "skipped",
};

export function recapLine(host: string, stats: HostStats, paint: Paint = noPaint): string {
  // Ansible pads the plain name, then colors it, so colors never change the alignment.
  const name = paint(hostKind(stats), host.padEnd(26));
  const counters = COUNTERS.map((c) => {
    const text = `${c}=${String(stats[c]).padEnd(4)}`;
    return stats[c] > 0 ? paint(COUNTER_KIND[c], text) : text;
  });
  return `${name} : ${counters.join(" ")}`;
}

/** Hosts sorted by name, as Ansible sorts them. */
export function recapLines(stats: Record<string, HostStats>, paint: Paint = noPaint): string[] {
  return Object.keys(stats)
    .sort()
    .map((h) => recapLine(h, stats[h], paint));
}
