// The executor's view of the journal, with real files: record a run, then ask what a resume skips.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunRequest } from "../../../src/cli/run-request.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { RunJournal, type HostEnd } from "../../../src/engine/journal/run-journal.js";
import { emptyStats } from "../../../src/engine/output/events.js";
import { loadPlaybook } from "../../../src/engine/playbook/loader.js";
import type { TaskNode } from "../../../src/engine/playbook/model.js";

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - setup:
    - set_fact:
        x: 1
    - command: echo hidden
      register: hidden
      no_log: true
    - command: echo shown
      register: shown
      notify: h
    - command: echo last
  handlers:
    - name: h
      command: echo handler
`;

function setup(playbook = PLAYBOOK) {
  const dir = mkdtempSync(join(tmpdir(), "kplay-runjournal-"));
  writeFileSync(join(dir, "site.yml"), playbook);
  writeFileSync(join(dir, "hosts.ini"), "h1\nh2\n");
  const pb = loadPlaybook(join(dir, "site.yml"), { cwd: dir }).playbook!;
  const inventory = loadInventory([join(dir, "hosts.ini")], { playbookDir: dir }).inventory;
  const request = (extra: Partial<RunRequest>) => ({ playbooks: [pb], inventory, journal: join(dir, "j.jsonl"), resume: false, check: false, ...extra }) as RunRequest;
  return { dir, pb, request, tasks: pb.plays[0].tasks as TaskNode[], play: pb.plays[0] };
}

const end = (name: string, failed = false): HostEnd => ({ name, played: true, failed, unreachable: false, stats: emptyStats() });

describe("recording a run and resuming it", () => {
  it("skips what is done, restores registered values and facts, re-runs what must run", async () => {
    const { request, tasks, play, dir } = setup();
    const warnings: string[] = [];
    const first = RunJournal.open(request({}), (m) => warnings.push(m)).journal!;
    const [setupTask, setFact, hidden, shown, last] = tasks;
    for (const host of ["h1", "h2"]) {
      const rec = (task: TaskNode, status: "ok" | "changed" | "failed", result: Record<string, unknown>, noLog = false) =>
        first.record(first.begin(play, task, undefined, host), task, { status, ignored: false, rescuable: false, noLog, result });
      rec(setupTask, "ok", { ansible_facts: { hostname: host, env: { TOKEN: "t0ken" } } });
      rec(setFact, "ok", { ansible_facts: { x: 1 } });
      rec(hidden, "changed", { changed: true, stdout: "secret-out" }, true);
      rec(shown, "changed", { changed: true, stdout: `out-${host}` });
      rec(last, host === "h2" ? "failed" : "ok", { failed: host === "h2" });
    }
    await first.close([end("h1"), end("h2", true)], 2, true);
    const text = readFileSync(join(dir, "j.jsonl"), "utf8");
    expect(text).not.toContain("secret-out");
    expect(text).not.toContain("t0ken");

    const resumed = RunJournal.open(request({ resume: true }), (m) => warnings.push(m)).journal!;
    expect([...resumed.plan!.complete]).toEqual(["h1"]);
    const ask = (task: TaskNode, host: string) => resumed.doneBefore(resumed.begin(play, task, undefined, host), task);
    // h1 completed: nothing connects, its state comes back.
    expect(ask(setupTask, "h1")).toEqual({ changed: false, facts: { hostname: "h1" } });
    expect(ask(setFact, "h1")).toBeUndefined();
    expect(ask(hidden, "h1")).toEqual({ changed: true });
    expect(ask(shown, "h1")).toEqual({ changed: true, registered: { changed: true, stdout: "out-h1" } });
    // h2 goes on: facts again, set_fact again, the no_log value cannot be restored, the failed task runs.
    expect(ask(setupTask, "h2")).toBeUndefined();
    expect(ask(setFact, "h2")).toBeUndefined();
    expect(ask(hidden, "h2")).toBeUndefined();
    expect(ask(shown, "h2")).toEqual({ changed: true, registered: { changed: true, stdout: "out-h2" } });
    expect(ask(last, "h2")).toBeUndefined();
    // The handler never ran on either host.
    const handler = play.handlers[0];
    expect(ask(handler, "h2")).toBeUndefined();
    await resumed.close([end("h1"), end("h2")], 0, true);
    expect(warnings).toEqual([]);
    // The resumed run's journal starts with what it carried over: done results only.
    const lines = readFileSync(join(dir, "j.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ t: "header", resumed: { complete: ["h1"] } });
    expect(lines.filter((l) => l.carried).length).toBe(9);
    expect(lines.at(-1)).toMatchObject({ t: "footer", complete: ["h1", "h2"] });
  });

  it("counts executions of the same task (a handler flushed twice) and tells them apart", async () => {
    const { request, play } = setup();
    const journal = RunJournal.open(request({}), () => undefined).journal!;
    const handler = play.handlers[0];
    const a = journal.begin(play, handler, undefined, "h1");
    const b = journal.begin(play, handler, undefined, "h1");
    const c = journal.begin(play, handler, undefined, "h2");
    expect([a.n, b.n, c.n]).toEqual([1, 2, 1]);
    expect(a.id).toBe(b.id);
    await journal.close([], 0, true);
  });

  it("a task changed after where the run stopped runs again on a host that goes on, with a warning", async () => {
    const { request, tasks, play, dir } = setup();
    const first = RunJournal.open(request({}), () => undefined).journal!;
    const [, , , shown, last] = tasks;
    first.record(first.begin(play, shown, undefined, "h1"), shown, { status: "changed", ignored: false, rescuable: false, noLog: false, result: { changed: true } });
    first.record(first.begin(play, shown, undefined, "h2"), shown, { status: "failed", ignored: false, rescuable: false, noLog: false, result: { failed: true } });
    first.record(first.begin(play, last, undefined, "h1"), last, { status: "ok", ignored: false, rescuable: false, noLog: false, result: {} });
    // SIGINT: the run did not reach its end, h1 is not complete.
    await first.close([end("h1"), end("h2", true)], 99, false);
    writeFileSync(join(dir, "site.yml"), PLAYBOOK.replace("echo last", "echo LAST"));
    const edited = loadPlaybook(join(dir, "site.yml"), { cwd: dir }).playbook!;
    const warnings: string[] = [];
    const resumed = RunJournal.open({ ...request({ resume: true }), playbooks: [edited] }, (m) => warnings.push(m)).journal!;
    expect(resumed.plan!.complete.size).toBe(0);
    const [, , , newShown, newLast] = edited.plays[0].tasks as TaskNode[];
    const ask = (task: TaskNode, host: string) => resumed.doneBefore(resumed.begin(edited.plays[0], task, undefined, host), task);
    expect(ask(newShown, "h1")).toEqual({ changed: true, registered: { changed: true } });
    expect(ask(newLast, "h1")).toBeUndefined();
    await resumed.close([], 0, true);
    expect(warnings).toEqual([expect.stringMatching(/^task "command" \(0\.0 site\.yml:13:7\) changed since the resumed run: it runs again$/)]);
  });
});
