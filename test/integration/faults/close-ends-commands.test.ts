// Closing a connection while a command runs (an interrupted run) ends that command and every
// process it started, instead of leaving them behind. Over SSH this is checked by
// interrupt.test.ts; here on the local transport, with real processes of this machine. And a
// connection closed while it is still being opened does not stay open behind the run's back.
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { LocalConnection } from "../../../src/engine/connection/local-connection.js";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(1, { light: true });
});

afterAll(async () => {
  await bed?.stopAll();
});

function running(pattern: string): string {
  try {
    return execFileSync("pgrep", ["-af", pattern], { encoding: "utf8" }).trim();
  } catch {
    return ""; // pgrep exits 1 when nothing matches
  }
}

test("closing a local connection ends its running command, a pipeline and a command under timeout", async () => {
  // Unusual durations, so only these commands match.
  const seconds = [randomInt(7000, 8000), randomInt(8000, 9000)];
  const conn = new LocalConnection("localhost");
  const pipeline = conn.run(`sleep ${seconds[0]} | cat`);
  const timed = conn.run(`sleep ${seconds[1]}`, { timeoutMs: 600_000 });
  for (let i = 0; i < 50 && !(running(`^sleep ${seconds[0]}`) && running(`^sleep ${seconds[1]}`)); i++) await sleep(100);
  expect(running(`^sleep ${seconds[0]}`)).not.toBe("");
  expect(running(`^sleep ${seconds[1]}`)).not.toBe("");

  // Handled before closing: the commands end (and their promises settle) while close() runs.
  const settled = Promise.allSettled([pipeline, timed]);
  await conn.close();
  expect((await settled).map((r) => r.status)).toEqual(["rejected", "rejected"]);
  for (let i = 0; i < 30 && (running(`^sleep ${seconds[0]}`) || running(`^sleep ${seconds[1]}`)); i++) await sleep(100);
  expect(running(`^sleep ${seconds[0]}`)).toBe("");
  expect(running(`^sleep ${seconds[1]}`)).toBe("");
});

test("an SSH connection closed during its handshake (Ctrl-C while connecting) is not left open", async () => {
  const host = bed.hosts[0]!;
  const sessions = async () => (await host.exec("pgrep -c -f '^sshd: root' || :")).stdout.trim();
  expect(await sessions()).toBe("0");
  const conn = new SshConnection(specFor(bed, host));
  const running = conn.run("true");
  await conn.close();
  await expect(running).rejects.toThrow(/closed/);
  // Long enough for a handshake that went on to finish and open its shell.
  await sleep(3000);
  expect(await sessions()).toBe("0");
});
