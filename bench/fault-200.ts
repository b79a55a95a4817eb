// 200 hosts at once (light container hosts), 50 cheap tasks, through the real CLI: wall time,
// every host ok, no unreachable host, file descriptors of the control process after task 5 and
// as task 50 starts (equal when nothing leaks per task), and its peak RSS. Not a test (too slow
// for CI); test/integration/faults/many-hosts.test.ts checks the same with 30 hosts.
//
//   npx tsx bench/fault-200.ts [--hosts 200] [--forks 200]
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildCli } from "../test/support/built-cli.js";
import { EARLY_TASK, FLEET_TASKS, fleetPlaybook, runFleet, unhealthyRecapLines } from "../test/integration/faults/fleet-run.js";
import { startHosts } from "../test/support/hosts.js";

const { values: flags } = parseArgs({ options: { hosts: { type: "string", default: "200" }, forks: { type: "string" } } });
const hosts = Number(flags.hosts);
const forks = Number(flags.forks ?? flags.hosts);
const load = () => os.loadavg()[0]!.toFixed(1);

const t0 = performance.now();
const [bed, cli] = await Promise.all([startHosts(hosts, { light: true }), buildCli()]);
const startS = (performance.now() - t0) / 1000;
try {
  const dir = await mkdtemp(path.join(os.tmpdir(), "kplay-fault-200-"));
  await writeFile(path.join(dir, "inventory.ini"), bed.inventoryIni());
  await writeFile(path.join(dir, "playbook.yml"), fleetPlaybook());
  const loadBefore = load();
  const run = await runFleet(cli, path.join(dir, "inventory.ini"), path.join(dir, "playbook.yml"), forks);
  const unhealthy = unhealthyRecapLines(run.out);
  console.log([
    `${hosts} light hosts, ${FLEET_TASKS} tasks, ${forks} forks`,
    `hosts started (and CLI built) in ${startS.toFixed(1)} s`,
    `run: ${run.wallS.toFixed(1)} s, exit ${run.code}, load ${loadBefore} at start, ${load()} at end`,
    `recap: ${run.out.match(/ : ok=/g)?.length ?? 0} hosts, ${unhealthy.length} not all ok${unhealthy.length ? `:\n  ${unhealthy.slice(0, 10).join("\n  ")}` : ""}`,
    `open fds: ${run.fdsEarly} after task ${EARLY_TASK}, ${run.fdsLate} as task ${FLEET_TASKS} starts`,
    `peak RSS: ${run.peakRssMb} MB`,
  ].join("\n"));
  if (run.code !== 0) console.log(run.out.slice(-3000), run.err);
  process.exitCode = run.code === 0 && unhealthy.length === 0 && run.fdsLate <= run.fdsEarly + 3 ? 0 : 1;
} finally {
  await bed.stopAll();
}
