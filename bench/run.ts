// Benchmark: kplay against ansible-playbook (and Mitogen, and two floors: plain OpenSSH, and the
// raw ssh2 prototype without an engine) on the same container hosts and the same workload
// (bench/workload.yml). Not a test: run it by hand.
//
//   npx tsx bench/run.ts [--hosts 10] [--light] [--direct] [--repeat 5] [--ansible-repeat 3] [--ansible-noop-only]
//                        [--engines kplay,ansible,mitogen,floor,prototype,local] [--profile DIR] [--json FILE] [--no-build]
//
// Each engine gets freshly reset hosts, runs once to change everything (first run), then repeats
// on the converged hosts (no-op re-runs: min and median). Every figure carries the load average
// at its start, since the machine has 2 cores shared with whatever else runs. `local` runs kplay
// on `ansible_connection=local` hosts, and an empty play there, to separate the engine's own
// cost per task from round trips. --profile DIR adds one CPU-profiled kplay no-op run. --direct
// reaches the hosts at their container addresses instead of through Docker's published ports
// (docker-proxy copies every byte in user space, which no real fleet has).
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import PQueue from "p-queue";
import { startHosts, type TestHosts } from "../test/support/hosts.js";
import { formatProfileSummary, summarizeCpuProfile } from "./cpu-profile.js";
import {
  ansibleSetup, changedInRecap, EMPTY_PLAYBOOK, type FloorTargets, kplayCommand, kplayLocalCommand, opensshFloorCommand, REPO_DIR, type RunSpec, ssh2PrototypeCommand,
} from "./engines.js";
import { measure, outputTail, type Measurement, type TimedCommand } from "./measure.js";
import { formatReport, type EngineResult } from "./report.js";
import { summarize } from "./stats.js";

const ENGINES = ["kplay", "ansible", "mitogen", "floor", "prototype", "local"] as const;
type Engine = (typeof ENGINES)[number];

const { values: flags } = parseArgs({
  options: {
    hosts: { type: "string", default: "10" },
    light: { type: "boolean", default: false },
    direct: { type: "boolean", default: false },
    repeat: { type: "string", default: "5" },
    "ansible-repeat": { type: "string", default: "3" },
    "ansible-noop-only": { type: "boolean", default: false },
    engines: { type: "string", default: ENGINES.join(",") },
    profile: { type: "string" },
    "no-build": { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const hostCount = Number(flags.hosts);
const repeat = Number(flags.repeat);
const ansibleRepeat = Number(flags["ansible-repeat"]);
const engines = flags.engines.split(",").map((e) => e.trim()) as Engine[];
for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; choose from ${ENGINES.join(", ")}`);
if (!Number.isInteger(hostCount) || hostCount < 2) throw new Error("--hosts needs a whole number of at least 2");
// Ansible's first run takes minutes at 50 hosts: its no-op runs can start from the hosts kplay
// converged, which also checks that both engines leave the same state (Ansible must change nothing).
const ansibleNoopOnly = flags["ansible-noop-only"];
if (ansibleNoopOnly && !(engines.indexOf("kplay") >= 0 && engines.indexOf("kplay") < engines.indexOf("ansible")))
  throw new Error("--ansible-noop-only needs kplay to run before ansible (it starts from the hosts kplay converged)");
if (![repeat, ansibleRepeat].every((n) => Number.isInteger(n) && n >= 1)) throw new Error("--repeat and --ansible-repeat need at least 1");

// Values unlike the workload's, so every first run really changes the three sysctls. Light hosts'
// /proc/sys is read-only: there the workload manages the sysctl file only (bench_light).
const RESET_HOST = [
  "rm -rf /opt/kbench /etc/sysctl.d/90-kbench.conf",
  ...(flags.light
    ? []
    : ["echo 0 > /proc/sys/net/ipv4/ip_forward", "echo '32768 60999' > /proc/sys/net/ipv4/ip_local_port_range", "echo 256 > /proc/sys/net/ipv4/tcp_max_syn_backlog"]),
].join(" && ");
const extraArgs = flags.light ? ["-e", JSON.stringify({ bench_light: true })] : [];

async function resetHosts(bed: TestHosts): Promise<void> {
  const queue = new PQueue({ concurrency: 8 });
  await Promise.all(
    bed.hosts.map((h) =>
      queue.add(async () => {
        const r = await h.exec(RESET_HOST);
        if (r.rc !== 0) throw new Error(`resetting ${h.name}: ${r.stderr}`);
      }),
    ),
  );
}

/** Every second host is in the group `even`, which one `when:` selects. */
function evenGroup(names: string[]): string {
  return `[even]\n${names.filter((_, i) => i % 2 === 1).join("\n")}\n`;
}

/** The test bed's inventory; with --direct, each host at its container address. */
function benchInventory(bed: TestHosts): string {
  const ini = bed.inventoryIni(evenGroup(bed.hosts.map((h) => h.name)));
  if (!flags.direct) return ini;
  const byPort = new Map(bed.hosts.map((h) => [String(h.port), h.containerIp]));
  return ini.replace(/ansible_host=127\.0\.0\.1 ansible_port=(\d+)/g, (_all, port: string) => `ansible_host=${byPort.get(port)} ansible_port=22`);
}

function localInventory(workDir: string, count: number): string {
  const names = Array.from({ length: count }, (_, i) => `local${i + 1}`);
  const hosts = names.map((n) => `${n} ansible_connection=local bench_local_root=${workDir}/local/${n} bench_local_sysctl_file=${workDir}/local/${n}/sysctl.conf\n`);
  return hosts.join("") + evenGroup(names);
}

function checkRun(engine: string, label: string, m: Measurement): void {
  const changed = changedInRecap(m.output);
  process.stderr.write(`${engine} ${label}: ${m.wallSeconds.toFixed(2)} s, ${m.maxRssMb.toFixed(0)} MB, exit ${m.exitCode}, changed ${changed ?? "-"}, load ${m.loadAverage.toFixed(2)}\n`);
  if (m.exitCode !== 0) throw new Error(`${engine} ${label} failed (exit ${m.exitCode}):\n${outputTail(m)}`);
}

async function repeated(engine: string, command: TimedCommand, times: number, isNoop: boolean): Promise<Measurement[]> {
  const runs: Measurement[] = [];
  for (let i = 0; i < times; i++) {
    const m = await measure(command);
    checkRun(engine, `${isNoop ? "no-op" : "run"} ${i + 1}`, m);
    if (isNoop && changedInRecap(m.output) !== 0) throw new Error(`${engine}: the re-run changed something:\n${outputTail(m, 80)}`);
    runs.push(m);
  }
  return runs;
}

/** No-op runs on hosts another engine converged. */
async function noopOnly(engine: string, command: TimedCommand, times: number): Promise<EngineResult> {
  const noop = await repeated(engine, command, times, true);
  return { engine, noop: summarize(noop.map((m) => m.wallSeconds)), noopRuns: noop };
}

/** First run on reset hosts, then the no-op re-runs; refuses a "no-op" run that changed anything. */
async function firstAndNoop(engine: string, command: TimedCommand, reset: () => Promise<void>, times: number): Promise<EngineResult> {
  await reset();
  const first = await measure(command);
  checkRun(engine, "first run", first);
  return { ...(await noopOnly(engine, command, times)), first, firstChanged: changedInRecap(first.output) };
}

function floorTargets(bed: TestHosts): FloorTargets {
  const targets = bed.hosts.map((h) => (flags.direct ? `${h.containerIp}:22` : `${h.address}:${h.port}`));
  return { privateKeyPath: bed.privateKeyPath, knownHostsPath: bed.knownHostsPath, targets };
}

/** A floor's runs: the no-op run's probes on converged hosts, so every run is a "no-op". */
async function floor(engine: "floor" | "prototype", bed: TestHosts): Promise<EngineResult> {
  const targets = floorTargets(bed);
  const command = engine === "floor" ? opensshFloorCommand(targets) : await ssh2PrototypeCommand(targets);
  const runs = await repeated(engine, command, repeat, false);
  return { engine, noop: summarize(runs.map((m) => m.wallSeconds)), noopRuns: runs };
}

/** One more kplay no-op run under `node --cpu-prof`, summarized on stderr; the profile stays in `dir`. */
async function profileKplay(spec: RunSpec, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const before = new Set(await readdir(dir));
  const m = await measure(kplayCommand(spec, undefined, ["--cpu-prof", `--cpu-prof-dir=${dir}`]));
  checkRun("kplay", "profiled no-op", m);
  const written = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile") && !before.has(f));
  for (const file of written) process.stderr.write(`\n${path.join(dir, file)}\n${formatProfileSummary(await summarizeCpuProfile(path.join(dir, file)))}`);
}

/** kplay's own cost: the workload on local hosts in a private network namespace, and an empty play. */
async function local(workDir: string): Promise<EngineResult[]> {
  const spec: RunSpec = { inventory: path.join(workDir, "local.ini"), forks: hostCount, extraArgs: [] };
  await writeFile(spec.inventory, localInventory(workDir, hostCount));
  const netns = `kplay-bench-${process.pid}`;
  execFileSync("ip", ["netns", "add", netns]);
  try {
    const reset = () => rm(path.join(workDir, "local"), { recursive: true, force: true });
    const workload = await firstAndNoop("local", kplayLocalCommand(spec, netns), reset, repeat);
    const empty = await repeated("startup", kplayCommand(spec, EMPTY_PLAYBOOK), repeat, false);
    return [workload, { engine: "startup", noop: summarize(empty.map((m) => m.wallSeconds)), noopRuns: empty }];
  } finally {
    execFileSync("ip", ["netns", "delete", netns]);
  }
}

async function main(): Promise<void> {
  if (!flags["no-build"]) execFileSync("npm", ["run", "--silent", "build"], { cwd: REPO_DIR, stdio: "inherit" });
  const workDir = await mkdtemp(path.join(os.tmpdir(), "kplay-bench-"));
  const results: EngineResult[] = [];
  const started = new Date();
  let bed: TestHosts | undefined;
  try {
    if (engines.some((e) => e !== "local")) {
      const t0 = Date.now();
      bed = await startHosts(hostCount, { light: flags.light });
      process.stderr.write(`${hostCount} ${flags.light ? "light" : "systemd"} hosts up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const hosts = bed;
    const reset = () => resetHosts(hosts!);
    const spec: RunSpec = { inventory: path.join(workDir, "hosts.ini"), forks: hostCount, extraArgs };
    if (hosts) await writeFile(spec.inventory, benchInventory(hosts));
    for (const engine of engines) {
      if (engine === "kplay") {
        results.push(await firstAndNoop("kplay", kplayCommand(spec), reset, repeat));
        if (flags.profile) await profileKplay(spec, path.resolve(flags.profile));
      }
      if (engine === "ansible" || engine === "mitogen") {
        const setup = await ansibleSetup(spec, workDir, engine === "mitogen");
        if (setup.unavailable) results.push({ engine, unavailable: setup.unavailable });
        else if (ansibleNoopOnly) results.push(await noopOnly(engine, setup.command, ansibleRepeat));
        else results.push(await firstAndNoop(engine, setup.command, reset, ansibleRepeat));
      }
      if (engine === "floor" || engine === "prototype") results.push(await floor(engine, hosts!));
      if (engine === "local") results.push(...(await local(workDir)));
    }
  } finally {
    await bed?.stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
  const report = { started: started.toISOString(), hosts: hostCount, light: flags.light, direct: flags.direct, repeat, cpus: os.cpus().length, node: process.version, results };
  if (flags.json) await writeFile(flags.json, JSON.stringify(report, (key, value: unknown) => (key === "output" ? undefined : value), 2));
  process.stdout.write(formatReport(report));
}

await main();
