// What a no-op re-run costs the hosts: the benchmark's workload (bench/workload.yml) on two local
// hosts, converged once, then run again while counting the commands each host's real shell runs
// and the inspections (Connection.inspect: file states without a program on the host). Every
// task (every loop item) that runs must cost exactly one round trip, a shell command only where a
// program must run, and no probe may send its shell function twice.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { LocalConnection } from "../../../src/engine/connection/local-connection.js";
import type { RunEvent } from "../../../src/engine/output/index.js";
import { ACCOUNT_FILES } from "../../../src/modules/lib/account-names.js";
import { runKplay } from "./run-kplay.js";

const BENCH = join(import.meta.dirname, "../../../bench");

afterEach(() => {
  vi.restoreAllMocks();
});

/** Per host: the results that ran something (not skipped), loop items counted one by one. */
function ranPerHost(events: RunEvent[]): Map<string, number> {
  const ran = new Map<string, number>();
  const add = (host: string) => ran.set(host, (ran.get(host) ?? 0) + 1);
  for (const e of events) {
    if (e.type === "item_result" && e.status !== "skipped") add(e.host);
    if (e.type === "host_result" && !e.looped && e.status !== "skipped") add(e.host);
  }
  return ran;
}

it("runs the benchmark's no-op re-run with one round trip per task and host", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kplay-round-trips-"));
  const hosts = ["h1", "h2"];
  const options = {
    dir,
    inventory: [
      ...hosts.map((h) => `${h} ansible_connection=local bench_local_root=${dir}/${h} bench_local_sysctl_file=${dir}/${h}/sysctl.conf`),
      "[even]",
      "h2",
      "",
    ].join("\n"),
    playbook: readFileSync(join(BENCH, "workload.yml"), "utf8"),
    files: Object.fromEntries(["bench.conf.j2", "limits.conf.j2"].map((t) => [`templates/${t}`, readFileSync(join(BENCH, "templates", t), "utf8")])),
    // Manage the sysctl file only: the control machine's kernel settings stay untouched.
    request: { extraVars: { bench_light: true } },
  };
  expect((await runKplay(options)).code).toBe(0);

  const commands = new Map<string, string[]>();
  const inspections = new Map<string, number>();
  const realRun = LocalConnection.prototype.run;
  vi.spyOn(LocalConnection.prototype, "run").mockImplementation(function (this: LocalConnection, command, runOptions) {
    commands.set(this.host, [...(commands.get(this.host) ?? []), command]);
    return realRun.call(this, command, runOptions);
  });
  const realInspect = LocalConnection.prototype.inspect;
  vi.spyOn(LocalConnection.prototype, "inspect").mockImplementation(function (this: LocalConnection, requests) {
    // Reading /etc/passwd and /etc/group for owner names happens once per connection, not per task.
    if (!requests.every((r) => (ACCOUNT_FILES as readonly string[]).includes(r.path))) inspections.set(this.host, (inspections.get(this.host) ?? 0) + 1);
    return realInspect.call(this, requests);
  });
  const rerun = await runKplay(options);

  expect(rerun.code).toBe(0);
  expect(rerun.events.filter((e) => e.type === "host_result" && e.status === "changed")).toEqual([]);
  const ran = ranPerHost(rerun.events);
  expect(ran.get("h1")).toBeGreaterThan(25);
  for (const h of hosts) {
    expect((commands.get(h)?.length ?? 0) + (inspections.get(h) ?? 0)).toBe(ran.get(h));
    // Programs run only for the four `command` tasks.
    expect(commands.get(h)).toHaveLength(4);
  }
  for (const command of [...commands.values()].flat()) expect(command.split("kplay_probe() {").length).toBeLessThanOrEqual(2);
});
