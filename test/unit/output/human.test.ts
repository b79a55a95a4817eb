// The human callback's lines for each kind of event, compared with what Ansible prints.
import { PassThrough } from "node:stream";
import { expect, test } from "vitest";
import type { RunEvent, TaskInfo } from "../../../src/engine/output/events.js";
import { emptyStats } from "../../../src/engine/output/events.js";
import { HumanCallback } from "../../../src/engine/output/human.js";
import { TerminalWriter } from "../../../src/engine/output/terminal-writer.js";

function capture(isTTY = false) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { writer: new TerminalWriter(stream), text: () => text };
}

async function render(events: RunEvent[], verbosity = 0): Promise<{ out: string; err: string }> {
  const out = capture();
  const err = capture();
  const cb = new HumanCallback(out.writer, err.writer, { verbosity, color: false });
  for (const e of events) cb.handle(e);
  await cb.close();
  await new Promise((r) => setImmediate(r));
  return { out: out.text(), err: err.text() };
}

const task = (title: string, module = "command", handler = false): TaskInfo => ({ id: title, title, module, path: "pb.yml:3:7", handler });
const t = task("install");

test("task results: ok, changed with delegation, skipped, ignored failure, unreachable", async () => {
  const { out } = await render([
    { type: "play_start", name: "web", hosts: ["a", "b"], strategy: "linear" },
    { type: "task_start", task: t, hosts: ["a", "b", "c", "d"] },
    { type: "host_result", task: t, host: "a", status: "ok", ignored: false, looped: false, result: { changed: false }, durationMs: 1 },
    { type: "host_result", task: t, host: "b", delegatedTo: "db1", status: "changed", ignored: false, looped: false, result: { changed: true }, durationMs: 1 },
    { type: "host_result", task: t, host: "c", status: "skipped", ignored: false, looped: false, result: { skipped: true }, durationMs: 1 },
    { type: "host_result", task: t, host: "d", status: "failed", ignored: true, looped: false, result: { failed: true, rc: 1, msg: "boom", _internal: 1 }, durationMs: 1 },
    { type: "host_result", task: t, host: "e", status: "unreachable", ignored: false, looped: false, result: { unreachable: true, changed: false, msg: "gone" }, durationMs: 1 },
  ]);
  expect(out.split("\n")).toEqual([
    "",
    "PLAY [web] *********************************************************************",
    "",
    "TASK [install] *****************************************************************",
    "ok: [a]",
    "changed: [b -> db1]",
    "skipping: [c]",
    'fatal: [d]: FAILED! => {"msg": "boom", "rc": 1}',
    "...ignoring",
    'fatal: [e]: UNREACHABLE! => {"changed": false, "msg": "gone", "unreachable": true}',
    "",
  ]);
});

test("loop items print one line each; the host's loop result prints nothing unless skipped", async () => {
  const { out } = await render([
    { type: "task_start", task: t, hosts: ["a"] },
    { type: "item_result", task: t, host: "a", status: "changed", label: "x", result: { changed: true } },
    { type: "item_result", task: t, host: "a", status: "skipped", label: { name: "y" }, result: { skipped: true } },
    { type: "item_result", task: t, host: "a", status: "failed", label: "z", result: { failed: true, msg: "bad", item: "z" } },
    { type: "host_result", task: t, host: "a", status: "failed", ignored: false, looped: true, result: { failed: true }, durationMs: 1 },
  ]);
  expect(out.split("\n").slice(2)).toEqual([
    "changed: [a] => (item=x)",
    "skipping: [a] => (item={'name': 'y'}) ",
    'failed: [a] (item=z) => {"item": "z", "msg": "bad"}',
    "",
  ]);
});

test("debug results are always shown, indented; -v shows every result", async () => {
  const dbg = task("show", "debug");
  const { out } = await render([
    { type: "task_start", task: dbg, hosts: ["a"] },
    { type: "host_result", task: dbg, host: "a", status: "ok", ignored: false, looped: false, result: { changed: false, msg: ["x", 1], _ansible_verbose_always: true }, durationMs: 1 },
  ]);
  expect(out).toContain('ok: [a] => {\n    "msg": [\n        "x",\n        1\n    ]\n}\n');
  const verbose = await render([{ type: "host_result", task: t, host: "a", status: "changed", ignored: false, looped: false, result: { changed: true, rc: 0 }, durationMs: 1 }], 1);
  expect(verbose.out).toContain('changed: [a] => {"changed": true, "rc": 0}');
});

test("diffs print before the result line as unified diffs", async () => {
  const { out } = await render([
    {
      type: "host_result", task: t, host: "a", status: "changed", ignored: false, looped: false, durationMs: 1,
      result: { changed: true, diff: [{ before: "a\nb\n", after: "a\nc\n", beforeHeader: "/etc/x", afterHeader: "/etc/x" }] },
    },
  ]);
  expect(out).toContain("--- before: /etc/x\n+++ after: /etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\nchanged: [a]\n");
});

test("a new file diffs from an empty range, as difflib writes it", async () => {
  const { out } = await render([
    { type: "host_result", task: t, host: "a", status: "changed", ignored: false, looped: false, durationMs: 1, result: { changed: true, diff: [{ before: "", after: "x\n" }] } },
  ]);
  expect(out).toContain("--- before\n+++ after\n@@ -0,0 +1 @@\n+x\n\nchanged: [a]\n");
});

test("handlers, includes, retries, no hosts, warnings and the recap", async () => {
  const h = task("restart", "command", true);
  const { out, err } = await render([
    { type: "play_start", name: "none", hosts: [], strategy: "linear" },
    { type: "no_hosts_matched", pattern: "nothing" },
    { type: "task_start", task: h, hosts: ["a"] },
    { type: "included", file: "/p/x.yml", hosts: ["a", "b"] },
    { type: "included", file: "/p/x.yml", hosts: ["a"], label: 2 },
    { type: "retry", host: "a", title: "wait", retriesLeft: 2 },
    { type: "warning", message: "careful" },
    { type: "recap", stats: { a: { ...emptyStats(), ok: 1 } }, interrupted: true },
  ]);
  expect(out).toContain("skipping: no hosts matched\n");
  expect(out).toContain("RUNNING HANDLER [restart] ****");
  expect(out).toContain("included: /p/x.yml for a, b\nincluded: /p/x.yml for a => (item=2)\n");
  expect(out).toContain("FAILED - RETRYING: [a]: wait (2 retries left).\n");
  expect(out).toMatch(/PLAY RECAP \*+\na +: ok=1 /);
  expect(err).toContain("[WARNING]: careful\n");
  expect(err).toContain("User interrupted execution");
});

test("free strategy prints a task's banner when its first result arrives", async () => {
  const { out } = await render([
    { type: "play_start", name: "p", hosts: ["a"], strategy: "free" },
    { type: "task_start", task: t, hosts: ["a"] },
    { type: "task_start", task: task("other"), hosts: ["b"] },
    { type: "host_result", task: t, host: "a", status: "ok", ignored: false, looped: false, result: {}, durationMs: 1 },
  ]);
  expect(out).not.toContain("TASK [other]");
  expect(out).toContain("TASK [install] ****");
});

test("on a terminal the status line names the hosts still running and is erased before output", async () => {
  const out = capture(true);
  const err = capture(true);
  const cb = new HumanCallback(out.writer, err.writer, { verbosity: 0, color: false });
  cb.handle({ type: "task_start", task: t, hosts: ["slow1", "slow2", "fast"] });
  cb.handle({ type: "host_result", task: t, host: "fast", status: "ok", ignored: false, looped: false, result: {}, durationMs: 1 });
  await new Promise((r) => setTimeout(r, 1600));
  expect(out.text()).toMatch(/\[install\] waiting on 2 hosts \(slow1, slow2\) 1s/);
  cb.handle({ type: "host_result", task: t, host: "slow1", status: "ok", ignored: false, looped: false, result: {}, durationMs: 1 });
  await new Promise((r) => setImmediate(r));
  expect(out.text()).toMatch(/\r\x1b\[Kok: \[slow1\]\n/);
  await cb.close();
});
