import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import type { RunEvent, TaskInfo } from "../../../src/engine/output/events.js";
import { emptyStats } from "../../../src/engine/output/events.js";
import { JsonLinesCallback } from "../../../src/engine/output/json-lines.js";
import { LogFileCallback } from "../../../src/engine/output/log-file.js";
import { profileLines } from "../../../src/engine/output/profile.js";
import { TerminalWriter } from "../../../src/engine/output/terminal-writer.js";

const task: TaskInfo = { id: "t1", title: "install", module: "command", path: "pb.yml:1:1", handler: false };
const events: RunEvent[] = [
  { type: "task_start", task, hosts: ["a"] },
  { type: "item_result", task, host: "a", status: "ok", label: "x", result: {} },
  { type: "host_result", task, host: "a", status: "failed", ignored: false, looped: false, result: { msg: "no" }, durationMs: 3 },
  { type: "recap", stats: { a: { ...emptyStats(), failed: 1 } }, interrupted: false },
];

test("json lines: one parseable object per event, named by `event`", async () => {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  const cb = new JsonLinesCallback(new TerminalWriter(stream));
  for (const e of events) cb.handle(e);
  await cb.close();
  const lines = text.trim().split("\n").map((l) => JSON.parse(l));
  expect(lines.map((l) => l.event)).toEqual(["task_start", "item_result", "host_result", "recap"]);
  expect(lines[2]).toMatchObject({ host: "a", status: "failed", result: { msg: "no" }, time: expect.any(String) });
});

test("log file: pino records per event; loop items only from -v on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kplay-log-"));
  for (const verbosity of [0, 1]) {
    const path = join(dir, `run-${verbosity}.log`);
    const cb = new LogFileCallback(path, verbosity);
    for (const e of events) cb.handle(e);
    await cb.close();
    const records = readFileSync(path, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(records.map((r) => r.event)).toEqual(verbosity === 0 ? ["task_start", "host_result", "recap"] : ["task_start", "item_result", "host_result", "recap"]);
    expect(records.find((r) => r.event === "host_result")).toMatchObject({ level: 40, host: "a" });
  }
});

test("profile: slowest first, dashes up to the time column", () => {
  const lines = profileLines([{ title: "fast", ms: 10 }, { title: "slow one", ms: 2500 }]);
  expect(lines[0]).toBe("=".repeat(79));
  expect(lines[1]).toBe(`slow one ${"-".repeat(64)} 2.50s`);
  expect(lines[1]).toHaveLength(79);
  expect(lines[2].startsWith("fast ---")).toBe(true);
});
