// wait_for on a real host: listeners (netcat) and files the test creates on the host, late on purpose.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { portProbe } from "../../../src/modules/wait_for.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;

beforeAll(async () => {
  bed = await startHosts(1, { names: "waitfor" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

/** Runs `cmd` on the host after `seconds`, detached from the exec session. */
const later = (seconds: number, cmd: string) => host.exec(`setsid sh -c 'sleep ${seconds}; ${cmd}' >/dev/null 2>&1 < /dev/null &`);

describe("wait_for", () => {
  it("waits for a port that opens late, on the target's 127.0.0.1", async () => {
    // Late enough that the first probe finds the port closed even on a loaded 2-core machine.
    await later(6, "exec nc -lk 127.0.0.1 8088");
    const r = await runModule(conn, "wait_for", { port: 8088, timeout: 20, sleep: 0.5 });
    expect(r.msg ?? "").toBe("");
    expect(r).toMatchObject({ changed: false, port: 8088, state: "started" });
    expect(r.elapsed).toBeGreaterThanOrEqual(1);
    expect(r.sent.runs.length).toBeGreaterThan(1);
  });

  it("finds a listening local port from /proc/net/tcp on a host without bash or nc", async () => {
    // Only awk and timeout on PATH: the probe's last resort, the kernel's socket table.
    await host.exec("mkdir -p /tmp/minpath && ln -sf /usr/bin/awk /usr/bin/timeout /tmp/minpath/");
    const probe = portProbe("127.0.0.1", 8088, 5);
    const open = await host.exec(`PATH=/tmp/minpath /bin/sh -c '${probe.replaceAll("'", "'\\''")}'`);
    expect(open.rc).toBe(0);
    const closed = await host.exec(`PATH=/tmp/minpath /bin/sh -c '${portProbe("127.0.0.1", 8099, 5).replaceAll("'", "'\\''")}'`);
    expect(closed.rc).toBe(1);
  });

  it("waits for a port to close", async () => {
    await later(1, 'pkill -f "nc -lk 127.0.0.1 8088"');
    const r = await runModule(conn, "wait_for", { port: 8088, state: "stopped", timeout: 20, sleep: 0.5 });
    expect(r).toMatchObject({ changed: false, state: "stopped" });
    expect(r.failed).toBeUndefined();
    expect(r.elapsed).toBeGreaterThanOrEqual(0.5); // it was still open when the wait began
  });

  it("connects to another address the target can reach (its own address on the test network)", async () => {
    const r = await runModule(conn, "wait_for", { host: host.containerIp, port: 22, timeout: 10 });
    expect(r.failed).toBeUndefined();
    expect(r).toMatchObject({ changed: false, port: 22 });
    expect(r.sent.runs).toHaveLength(1);
  });

  it("fails after the timeout, saying what it waited for and for how long", async () => {
    const started = Date.now();
    const r = await runModule(conn, "wait_for", { port: 8099, timeout: 2, sleep: 0.5 });
    expect(r.failed).toBe(true);
    expect(r.msg).toMatch(/^Timeout when waiting for port 8099 on 127\.0\.0\.1 to be open \(gave up after 2(\.\d)? s\)$/);
    expect(r.elapsed).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it("waits for a file, then for a line in it, returning the regex groups", async () => {
    await host.exec("rm -f /tmp/ready");
    await later(1, 'echo starting > /tmp/ready');
    await later(2, 'echo "status: ready v1.29" >> /tmp/ready');
    const present = await runModule(conn, "wait_for", { path: "/tmp/ready", timeout: 20, sleep: 0.3 });
    expect(present).toMatchObject({ changed: false, path: "/tmp/ready" });
    const found = await runModule(conn, "wait_for", { path: "/tmp/ready", search_regex: "status: (?P<word>\\w+) (v[\\d.]+)", timeout: 20, sleep: 0.3 });
    expect(found).toMatchObject({ changed: false, match_groups: ["ready", "v1.29"], match_groupdict: { word: "ready" } });
  });

  it("runs in check mode too (it changes nothing) and waits for a file to go away", async () => {
    await later(1, "rm -f /tmp/ready");
    const r = await runModule(conn, "wait_for", { path: "/tmp/ready", state: "absent", timeout: 20, sleep: 0.3 }, { check: true });
    expect(r).toMatchObject({ changed: false, state: "absent" });
    expect(r.failed).toBeUndefined();
    expect((await host.exec("test -e /tmp/ready")).rc).toBe(1);
  });

  it("rejects invalid arguments before any remote command", async () => {
    for (const args of [{ port: 70000 }, { port: 22, path: "/tmp/x" }, { search_regex: "x" }, { port: 22, stat: "started" }, { path: "/x", search_regex: "(" }]) {
      const r = await runModule(conn, "wait_for", args);
      expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    }
  });
});
