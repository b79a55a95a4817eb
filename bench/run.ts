// Benchmark: kplay against ansible-playbook (and Mitogen, and plain OpenSSH as the floor) on the
// same container hosts and the same workload (bench/workload.yml). Not a test: run it by hand.
//
//   npx tsx bench/run.ts [--hosts 10] [--light] [--repeat 5] [--engines kplay,ansible,mitogen,floor,local] [--no-build] [--json FILE]
//
// Each engine gets freshly reset hosts, runs once to change everything (first run), then --repeat
// times more on the converged hosts (no-op re-runs: min and median). Every figure carries the load
// average at its start, since the machine has 2 cores shared with whatever else runs.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import PQueue from "p-queue";
import { startHosts, type TestHosts } from "../test/support/hosts.js";
import { ansibleSetup, BENCH_DIR, changedInRecap, kplayCommand, kplayLocalCommand, REPO_DIR } from "./engines.js";
import { measure, outputTail, type Measurement, type TimedCommand } from "./measure.js";
import { formatReport, type EngineResult } from "./report.js";
import { summarize } from "./stats.js";

const ENGINES = ["kplay", "ansible", "mitogen", "floor", "local"] as const;
type Engine = (typeof ENGINES)[number];

const { values: flags } = parseArgs({
  options: {
    hosts: { type: "string", default: "10" },
    light: { type: "boolean", default: false },
    repeat: { type: "string", default: "5" },
    engines: { type: "string", default: ENGINES.join(",") },
    "no-build": { type: "boolean", default: false },
    json: { type: "string" },
  },
});
const hostCount = Number(flags.hosts);
const repeat = Number(flags.repeat);
const engines = flags.engines.split(",").map((e) => e.trim()) as Engine[];
for (const e of engines) if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; choose from ${ENGINES.join(", ")}`);
if (!Number.isInteger(hostCount) || hostCount < 2 || !Number.isInteger(repeat) || repeat < 1) throw new Error("--hosts needs at least 2, --repeat at least 1");

// Values unlike the workload's, so every first run really changes the three sysctls.
const RESET_HOST = [
  "rm -rf /opt/kbench /etc/sysctl.d/90-kbench.conf",
  "echo 0 > /proc/sys/net/ipv4/ip_forward",
  "echo '32768 60999' > /proc/sys/net/ipv4/ip_local_port_range",
  "echo 256 > /proc/sys/net/ipv4/tcp_max_syn_backlog",
].join(" && ");

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

/** The second half of the hosts (by number) form the group `even`, which one `when:` selects. */
function groups(names: string[]): string {
  return `[even]\n${names.filter((_, i) => i % 2 === 1).join("\n")}\n`;
}

function localInventory(workDir: string, count: number): string {
  const names = Array.from({ length: count }, (_, i) => `local${i + 1}`);
  const hosts = names.map((n) => `${n} ansible_connection=local bench_local_root=${workDir}/local/${n} bench_local_sysctl_file=${workDir}/local/${n}/sysctl.conf\n`);
  return hosts.join("") + groups(names);
}

function checkRun(engine: string, label: string, m: Measurement): void {
  const changed = changedInRecap(m.output);
  process.stderr.write(`${engine} ${label}: ${m.wallSeconds.toFixed(2)} s, ${m.maxRssMb.toFixed(0)} MB, exit ${m.exitCode}, changed ${changed ?? "-"}, load ${m.loadAverage.toFixed(2)}\n`);
  if (m.exitCode !== 0) throw new Error(`${engine} ${label} failed (exit ${m.exitCode}):\n${outputTail(m)}`);
}

/** First run on reset hosts, then the no-op re-runs; refuses a "no-op" run that changed anything. */
async function firstAndNoop(engine: string, command: TimedCommand, reset: () => Promise<void>): Promise<EngineResult> {
  await reset();
  const first = await measure(command);
  checkRun(engine, "first run", first);
  const noop: Measurement[] = [];
  for (let i = 0; i < repeat; i++) {
    const m = await measure(command);
    checkRun(engine, `no-op ${i + 1}`, m);
    if (changedInRecap(m.output) !== 0) throw new Error(`${engine}: the re-run changed something:\n${outputTail(m, 80)}`);
    noop.push(m);
  }
  return { engine, first, noop: summarize(noop.map((m) => m.wallSeconds)), noopRuns: noop, firstChanged: changedInRecap(first.output) };
}

async function floor(bed: TestHosts): Promise<EngineResult> {
  const command = { command: path.join(BENCH_DIR, "ssh-floor.sh"), args: [bed.privateKeyPath, bed.knownHostsPath, ...bed.hosts.map((h) => String(h.port))] };
  const runs: Measurement[] = [];
  for (let i = 0; i < repeat; i++) {
    const m = await measure(command);
    checkRun("floor", `run ${i + 1}`, m);
    runs.push(m);
  }
  return { engine: "floor", noop: summarize(runs.map((m) => m.wallSeconds)), noopRuns: runs };
}

async function main(): Promise<void> {
  if (!flags["no-build"]) execFileSync("npm", ["run", "--silent", "build"], { cwd: REPO_DIR, stdio: "inherit" });
  const workDir = await mkdtemp(path.join(os.tmpdir(), "kplay-bench-"));
  const results: EngineResult[] = [];
  const started = new Date();
  let bed: TestHosts | undefined;
  try {
    const needsHosts = engines.some((e) => e !== "local");
    if (needsHosts) {
      const t0 = Date.now();
      bed = await startHosts(hostCount, { light: flags.light });
      process.stderr.write(`${hostCount} ${flags.light ? "light" : "systemd"} hosts up in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const inventory = path.join(workDir, "hosts.ini");
    if (bed) await writeFile(inventory, bed.inventoryIni(groups(bed.hosts.map((h) => h.name))));
    for (const engine of engines) {
      if (engine === "kplay") results.push(await firstAndNoop("kplay", kplayCommand(inventory, hostCount), () => resetHosts(bed!)));
      if (engine === "ansible" || engine === "mitogen") {
        const setup = await ansibleSetup(inventory, hostCount, workDir, engine === "mitogen");
        if (setup.unavailable) results.push({ engine, unavailable: setup.unavailable });
        else results.push(await firstAndNoop(engine, setup.command, () => resetHosts(bed!)));
      }
      if (engine === "floor") results.push(await floor(bed!));
      if (engine === "local") {
        const localInv = path.join(workDir, "local.ini");
        await writeFile(localInv, localInventory(workDir, hostCount));
        const netns = `kplay-bench-${process.pid}`;
        execFileSync("ip", ["netns", "add", netns]);
        try {
          const reset = () => rm(path.join(workDir, "local"), { recursive: true, force: true });
          results.push(await firstAndNoop("local", kplayLocalCommand(localInv, hostCount, netns), reset));
        } finally {
          execFileSync("ip", ["netns", "delete", netns]);
        }
      }
    }
  } finally {
    await bed?.stopAll();
    await rm(workDir, { recursive: true, force: true });
  }
  const report = { started: started.toISOString(), hosts: hostCount, light: flags.light, repeat, cpus: os.cpus().length, node: process.version, results };
  if (flags.json) await writeFile(flags.json, JSON.stringify(report, (k, v) => (k === "output" ? undefined : v), 2));
  process.stdout.write(formatReport(report));
}

await main();
