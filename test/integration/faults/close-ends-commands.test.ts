// Closing a connection while a command runs (an interrupted run) ends that command and every
// process it started, instead of leaving them behind. Over SSH this is checked by
// interrupt.test.ts; here on the local transport, with real processes of this machine.
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "vitest";
import { LocalConnection } from "../../../src/engine/connection/local-connection.js";

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

  await conn.close();
  await Promise.allSettled([pipeline, timed]);
  for (let i = 0; i < 30 && (running(`^sleep ${seconds[0]}`) || running(`^sleep ${seconds[1]}`)); i++) await sleep(100);
  expect(running(`^sleep ${seconds[0]}`)).toBe("");
  expect(running(`^sleep ${seconds[1]}`)).toBe("");
});
