// The measurement behind the persistent shell (engine.md, "Round trips"): 26 small commands on
// each of 10 hosts, through kplay's pooled persistent shells and through a new exec channel per
// command on an already open connection. Prints both; asserts only that the design pays off.
import type { Client } from "ssh2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openSshClient } from "../../../src/engine/connection/ssh-client.js";
import { ConnectionPool } from "../../../src/engine/connection/pool.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { specFor } from "./test-specs.js";

const COMMANDS = Array.from({ length: 26 }, (_, i) => [
  "test -f /etc/os-release", "cat /etc/hostname", "uname -r", "id -u", "ls /etc/ssh", `echo step-${i}`,
][i % 6]);

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(10, { light: true, names: "rt" });
});

afterAll(async () => {
  await bed?.stopAll();
});

function execOnce(client: Client, command: string): Promise<number> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err);
      let rc = -1;
      channel.on("exit", (code: number) => (rc = code));
      channel.on("data", () => {});
      channel.stderr.on("data", () => {});
      channel.on("close", () => resolve(rc));
    });
  });
}

it("runs 26 commands on 10 hosts faster through persistent shells than with a channel per command", async () => {
  const specs = bed.hosts.map((h) => specFor(bed, h));

  const pool = new ConnectionPool();
  const connectStart = performance.now();
  await Promise.all(specs.map((s) => pool.get(s).run("true")));
  const connectMs = performance.now() - connectStart;
  const shellStart = performance.now();
  await Promise.all(specs.map(async (s) => {
    for (const c of COMMANDS) expect((await pool.get(s).run(c)).rc).toBe(0);
  }));
  const shellMs = performance.now() - shellStart;
  expect(pool.handshakes).toBe(10);
  await pool.closeAll();

  const clients = await Promise.all(specs.map(async (s) => (await openSshClient(s)).client));
  const execStart = performance.now();
  await Promise.all(clients.map(async (client) => {
    for (const c of COMMANDS) expect(await execOnce(client, c)).toBe(0);
  }));
  const execMs = performance.now() - execStart;
  for (const client of clients) client.end();

  console.log(`26 commands x 10 hosts: persistent shell ${shellMs.toFixed(0)} ms, exec channel per command ${execMs.toFixed(0)} ms `
    + `(${(execMs / shellMs).toFixed(1)}x); connecting 10 hosts ${connectMs.toFixed(0)} ms`);
  expect(shellMs).toBeLessThan(execMs);
});
