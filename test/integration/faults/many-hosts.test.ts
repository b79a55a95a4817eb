// Many hosts at once through the real CLI: every host ok, none unreachable, and the control
// process holds as many file descriptors after the 50th task as after the 5th (no leak per task).
// bench/fault-200.ts runs the same with 200 hosts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { buildCli } from "../../support/built-cli.js";
import { EARLY_TASK, FLEET_TASKS, fleetPlaybook, runFleet, unhealthyRecapLines } from "./fleet-run.js";

const HOSTS = 30;
/** Descriptors that may come and go between two samples (a log write, a DNS lookup...). */
const FD_TOLERANCE = 3;

let bed: TestHosts;
let cli: string;

beforeAll(async () => {
  [bed, cli] = await Promise.all([startHosts(HOSTS, { light: true }), buildCli()]);
});

afterAll(async () => {
  await bed?.stopAll();
});

test(`${HOSTS} hosts, ${FLEET_TASKS} tasks: every host ok, and no descriptor growth from task ${EARLY_TASK} to task ${FLEET_TASKS}`, async () => {
  const dir = mkdtempSync(join(tmpdir(), "kplay-fleet-"));
  writeFileSync(join(dir, "inventory.ini"), bed.inventoryIni());
  writeFileSync(join(dir, "playbook.yml"), fleetPlaybook());
  const run = await runFleet(cli, join(dir, "inventory.ini"), join(dir, "playbook.yml"), HOSTS);
  console.log(`${HOSTS} hosts x ${FLEET_TASKS} tasks: ${run.wallS.toFixed(1)} s, fds ${run.fdsEarly} -> ${run.fdsLate}, peak RSS ${run.peakRssMb} MB`);
  expect(run.code, run.out.slice(-3000) + run.err).toBe(0);
  expect(run.out.match(/ : ok=/g)).toHaveLength(HOSTS);
  expect(unhealthyRecapLines(run.out)).toEqual([]);
  // One SSH socket per host at least, by the time task 6 starts.
  expect(run.fdsEarly).toBeGreaterThan(HOSTS);
  expect(run.fdsLate).toBeLessThanOrEqual(run.fdsEarly + FD_TOLERANCE);
});
