// Summary of a V8 .cpuprofile (from `node --cpu-prof`): where the time went, by self time per
// function and per source (a kplay file under src/, an npm package, or Node's own internals).
// The built CLI is one bundled file: its source map says which file each function came from.
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { SourceMap } from "node:module";
import { fileURLToPath } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
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

const sourceMaps = new Map<string, SourceMap | undefined>();

function sourceMapOf(url: string): SourceMap | undefined {
  if (!sourceMaps.has(url)) {
    const mapFile = url.startsWith("file:") ? `${fileURLToPath(url)}.map` : undefined;
    sourceMaps.set(url, mapFile && existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))) : undefined);
  }
  return sourceMaps.get(url);
}

/** Where a frame's code was written: its file and 0-based line, through the source map if any. */
function originalPlace(frame: CallFrame): { url: string; line: number } {
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  return entry && "originalSource" in entry ? { url: entry.originalSource, line: entry.originalLine } : { url: frame.url, line: frame.lineNumber };
}

function sourceOf(url: string, functionName: string): string {
  if (!url) return functionName || "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return `npm:${pkg[1]}`;
  const own = /\/((?:dist|src)\/.*)$/.exec(url);
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
    const frame = nodes.get(id)!.callFrame;
    const { functionName } = frame;
    const { url, line: lineNumber } = originalPlace(frame);
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
