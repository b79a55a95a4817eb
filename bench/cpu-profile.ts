// Summary of a V8 .cpuprofile (from `node --cpu-prof`): where the time went, by self time per
// function and per source (a kplay file under dist/, an npm package, or Node's own internals).
import { readFile } from "node:fs/promises";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: Array<[name: string, ms: number]>;
  sources: Array<[source: string, ms: number]>;
}

function sourceOf(url: string, functionName: string): string {
  if (!url) return functionName || "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const own = /\/(dist\/.*)$/.exec(url);
  if (own) return own[1];
  return url.startsWith("node:") ? url.split("/").slice(0, 3).join("/") : url;
}

function top(map: Map<string, number>, count: number): Array<[string, number]> {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, us]) => [k, us / 1000]);
}

export async function summarizeCpuProfile(file: string, count = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, "utf8")) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFunction = new Map<string, number>();
  const bySource = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const us = profile.timeDeltas[i] ?? 0;
    total += us;
    const source = sourceOf(url, functionName);
    const fn = `${functionName || "(anonymous)"} ${source}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    bySource.set(source, (bySource.get(source) ?? 0) + us);
  });
  return { totalMs: total / 1000, functions: top(byFunction, count), sources: top(bySource, count) };
}

export function formatProfileSummary(s: ProfileSummary): string {
  const rows = (list: Array<[string, number]>) => list.map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${k}`);
  return [`sampled ${s.totalMs.toFixed(0)} ms`, "self time by source:", ...rows(s.sources), "self time by function:", ...rows(s.functions), ""].join("\n");
}
