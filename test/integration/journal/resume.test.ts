// A failed run resumed after the fix, on real hosts: every task appends a line to a file on its
// host, so counting lines proves what ran again and what did not.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../../src/engine/output/events.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runKplay, type KplayRun } from "../executor/run-kplay.js";

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(3, { light: true });
});

afterAll(async () => {
  await bed?.stopAll();
});

const SECRET = "s3cr3t-Journal-Value-77ab";

/** Fails on node2 until `-e fixed=true`. `log` is the file each task appends to. */
function playbook(log: string, extraTask = ""): string {
  return `- hosts: all
  gather_facts: false
  tasks:
    - name: one
      shell: echo one >> ${log}; echo ONE
      register: first
      notify: note the change
    - name: hidden
      shell: echo hidden >> ${log}; echo ${SECRET}
      register: hidden
      no_log: true
    - name: two
      shell: echo two >> ${log}; echo TWO
      register: second
    - name: break on node2
      fail:
        msg: node2 is broken
      when: inventory_hostname == 'node2' and not (fixed | default(false))
    - name: three
      shell: echo "three-{{ first.stdout }}-{{ second.stdout }}-{{ hidden.rc }}" >> ${log}
${extraTask}  handlers:
    - name: note the change
      shell: echo handler >> ${log}
`;
}

async function lines(host: string, log: string): Promise<string[]> {
  const r = await bed.host(host).exec(`cat ${log} 2>/dev/null`);
  return r.stdout.split("\n").filter(Boolean);
}

function resultsOf(run: KplayRun, host: string): Array<Extract<RunEvent, { type: "host_result" }>> {
  return run.events.flatMap((e) => (e.type === "host_result" && e.host === host ? [e] : []));
}

const FULL = ["one", "hidden", "two", "three-ONE-TWO-0", "handler"];

interface FailedRun {
  first: KplayRun;
  dir: string;
  journal: string;
  log: string;
}

let counter = 0;
/** A first run that fails on node2 at "break on node2", in its own directory and log file. */
async function failedRun(): Promise<FailedRun> {
  const log = `/tmp/kplay-journal-${process.pid}-${++counter}.log`;
  const dir = mkdtempSync(join(tmpdir(), "kplay-resume-"));
  const first = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir });
  expect(first.code, first.out + first.err).toBe(2);
  return { first, dir, log, journal: join(dir, ".kplay", "journal.jsonl") };
}

describe("resuming a failed run", () => {
  it("skips what was done, restarts node2 at the failed task, restores registered values, runs pending handlers", async () => {
    const { first, dir, log, journal } = await failedRun();
    expect(await lines("node1", log)).toEqual(FULL);
    expect(await lines("node2", log)).toEqual(["one", "hidden", "two"]);
    // Ansible's retry hint, before the recap.
    const retry = join(dir, ".kplay", "playbook.retry");
    expect(first.out).toContain(`\tto retry, use: --limit @${retry}\n\nPLAY RECAP`);
    expect(readFileSync(retry, "utf8")).toBe("node2\n");

    const resumed = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir, request: { resume: true, extraVars: { fixed: true } } });
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    expect(resumed.out).toContain(`Resuming the run recorded in ${journal} (completed there, nothing to do: node1, node3)`);
    // Completed hosts ran nothing at all.
    expect(await lines("node1", log)).toEqual(FULL);
    expect(await lines("node3", log)).toEqual(FULL);
    // node2: one and two not again; hidden again (its no_log value was not recorded); the rest once.
    expect(await lines("node2", log)).toEqual(["one", "hidden", "two", "hidden", "three-ONE-TWO-0", "handler"]);
    expect(resumed.out).toMatch(/^skipping: \[node2\] \(done in the resumed run\)$/m);
    expect(resultsOf(resumed, "node1").every((r) => r.doneInResumedRun)).toBe(true);
    // Done tasks count as skipped in the recap.
    expect(resumed.out).toMatch(/^node1 +: ok=0 +changed=0 +unreachable=0 +failed=0 +skipped=6 /m);
    expect(resumed.out).toMatch(/^node2 +: ok=3 +changed=3 +unreachable=0 +failed=0 +skipped=3 /m);
    // A successful run removes the retry file.
    expect(existsSync(retry)).toBe(false);

    // The journal recorded registered values, but never the no_log task's.
    const text = readFileSync(journal, "utf8");
    expect(text).toContain('"stdout":"ONE"');
    expect(text).not.toContain(SECRET);
    const hiddenLines = text.split("\n").filter((l) => l.includes('"t":"result"') && l.includes("playbook.yml:8:7"));
    expect(hiddenLines.length).toBeGreaterThan(0);
    for (const l of hiddenLines) expect(JSON.parse(l)).toMatchObject({ noLog: true, status: "changed" });
    expect(hiddenLines.every((l) => !l.includes("registered"))).toBe(true);

    // Resuming a run that completed everywhere does nothing anywhere.
    const again = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir, request: { resume: true } });
    expect(again.code, again.out + again.err).toBe(0);
    for (const h of ["node1", "node2", "node3"]) expect((await lines(h, log)).length).toBe(h === "node2" ? 6 : 5);
  });

  it("an unreachable host resumes once it is back", async () => {
    const log = `/tmp/kplay-journal-${process.pid}-unreachable.log`;
    const dir = mkdtempSync(join(tmpdir(), "kplay-resume-"));
    await bed.host("node3").stop();
    let first: KplayRun;
    try {
      first = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir, request: { extraVars: { fixed: true } } });
    } finally {
      await bed.host("node3").start();
    }
    expect(first.code, first.out + first.err).toBe(4);
    expect(readFileSync(join(dir, ".kplay", "playbook.retry"), "utf8")).toBe("node3\n");
    const resumed = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir, request: { resume: true, extraVars: { fixed: true } } });
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    expect(await lines("node3", log)).toEqual(FULL);
    expect(await lines("node1", log)).toEqual(FULL);
  });

  it("--limit @RETRY_FILE selects exactly the failed hosts", async () => {
    const { dir, log } = await failedRun();
    const retry = `@${join(dir, ".kplay", "playbook.retry")}`;
    const limited = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir, request: { limit: retry, extraVars: { fixed: true } } });
    expect(limited.code, limited.out + limited.err).toBe(0);
    const play = limited.events.find((e) => e.type === "play_start");
    expect(play?.type === "play_start" && play.hosts).toEqual(["node2"]);
    expect(await lines("node1", log)).toEqual(FULL);
  });

  it("tasks inside includes are recognised per include and loop item, and not run again", async () => {
    const log = `/tmp/kplay-journal-${process.pid}-include.log`;
    const dir = mkdtempSync(join(tmpdir(), "kplay-resume-"));
    const text = `- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: steps.yml
      loop: [a, b]
    - name: break on node2
      fail:
        msg: broken
      when: inventory_hostname == 'node2' and not (fixed | default(false))
    - shell: echo after-{{ step.stdout }} >> ${log}
`;
    const files = { "steps.yml": `- shell: echo step-{{ item }} >> ${log}; echo {{ item | upper }}\n  register: step\n` };
    const failed = await runKplay({ inventory: bed.inventoryIni(), playbook: text, files, dir });
    expect(failed.code, failed.out + failed.err).toBe(2);
    expect(await lines("node2", log)).toEqual(["step-a", "step-b"]);
    const resumed = await runKplay({ inventory: bed.inventoryIni(), playbook: text, files, dir, request: { resume: true, extraVars: { fixed: true } } });
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    // The includes ran again (to reach their tasks), the tasks inside did not.
    expect(resumed.out).toMatch(/^included: \S+steps\.yml for node1, node2, node3 => \(item=a\)$/m);
    expect(await lines("node2", log)).toEqual(["step-a", "step-b", "after-B"]);
    expect(await lines("node1", log)).toEqual(["step-a", "step-b", "after-B"]);
  });

  it("after Ctrl-C the journal is complete up to where the run stopped, and the resume goes on from there", async () => {
    const log = `/tmp/kplay-journal-${process.pid}-sigint.log`;
    const dir = mkdtempSync(join(tmpdir(), "kplay-resume-"));
    const text = `- hosts: all
  gather_facts: false
  tasks:
    - shell: echo before >> ${log}
    - name: long
      shell: sleep 2; echo long >> ${log}
    - shell: echo after >> ${log}
`;
    const interrupted = await runKplay({
      inventory: bed.inventoryIni(),
      playbook: text,
      dir,
      onEvent: (e) => {
        if (e.type === "task_start" && e.task.title === "long") setTimeout(() => process.emit("SIGINT"), 300);
      },
    });
    expect(interrupted.code, interrupted.out + interrupted.err).toBe(99);
    expect(await lines("node1", log)).toEqual(["before", "long"]);
    const footer = JSON.parse(readFileSync(join(dir, ".kplay", "journal.jsonl"), "utf8").trim().split("\n").at(-1)!);
    expect(footer).toMatchObject({ t: "footer", exitCode: 99, reachedEnd: false, complete: [] });
    const resumed = await runKplay({ inventory: bed.inventoryIni(), playbook: text, dir, request: { resume: true } });
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    for (const h of ["node1", "node2", "node3"]) expect(await lines(h, log)).toEqual(["before", "long", "after"]);
  });

  it("a crash-truncated last line is tolerated: what the journal shows done is not run again", async () => {
    const { log, journal, dir } = await failedRun();
    // As a crash leaves it: no footer, half a line at the end.
    const kept = readFileSync(journal, "utf8").split("\n").slice(0, -2);
    expect(kept.at(-1)).toContain('"t":"result"');
    writeFileSync(journal, `${kept.join("\n")}\n{"t":"result","host":"no`);
    const resumed = await runKplay({ inventory: bed.inventoryIni(), playbook: playbook(log), dir, request: { resume: true, extraVars: { fixed: true } } });
    expect(resumed.code, resumed.out + resumed.err).toBe(0);
    // Without a footer no host counts as complete.
    expect(resumed.out).not.toContain("nothing to do");
    // node1 went through every task: only the no_log task, whose value was not recorded, ran again.
    expect(await lines("node1", log)).toEqual([...FULL, "hidden"]);
    expect(await lines("node2", log)).toEqual(["one", "hidden", "two", "hidden", "three-ONE-TWO-0", "handler"]);
  });
});

describe("an unsafe resume is refused before anything runs (exit 5)", () => {
  let base: FailedRun;
  beforeAll(async () => {
    base = await failedRun();
  });

  /** A copy of the failed run's directory state, resumed with `text` as the playbook. */
  async function resume(text: string, options: { inventory?: string; journalEdit?: (lines: string[]) => string[]; dir?: string } = {}): Promise<KplayRun> {
    const journal = join(mkdtempSync(join(tmpdir(), "kplay-refuse-")), "j.jsonl");
    copyFileSync(base.journal, journal);
    if (options.journalEdit) writeFileSync(journal, options.journalEdit(readFileSync(journal, "utf8").split("\n")).join("\n"));
    return runKplay({ inventory: options.inventory ?? bed.inventoryIni(), playbook: text, dir: options.dir ?? base.dir, request: { resume: true, journal, extraVars: { fixed: true } } });
  }

  async function expectNothingRan(r: KplayRun): Promise<void> {
    expect(r.code, r.out + r.err).toBe(5);
    expect(r.events.some((e) => e.type === "task_start")).toBe(false);
    expect(await lines("node2", base.log)).toEqual(["one", "hidden", "two"]);
  }

  it("a done task before the failure changed", async () => {
    const r = await resume(playbook(base.log).replace("echo TWO", "echo TWO!"));
    await expectNothingRan(r);
    expect(r.err).toContain(`ERROR: ${join(base.dir, "playbook.yml")}:12:7: task "two" is done in the journal`);
    expect(r.err).toContain("but its definition changed since");
    expect(r.err).toContain("hint: run without --resume to start from the top, or give --journal ANOTHER_FILE");
  });

  it("a done task before the failure disappeared", async () => {
    const r = await resume(playbook(base.log).replace(/    - name: two\n.*\n.*\n/, ""));
    await expectNothingRan(r);
    expect(r.err).toContain('task "two" is done in the journal');
    expect(r.err).toContain('that place now holds task "break on node2"');
  });

  it("another playbook", async () => {
    const r = await resume(playbook(base.log), { dir: mkdtempSync(join(tmpdir(), "kplay-other-")) });
    await expectNothingRan(r);
    expect(r.err).toMatch(/ran \S+playbook\.yml, this run asks for \S+playbook\.yml/);
  });

  it("a host gone from the inventory", async () => {
    const inventory = bed.inventoryIni().split("\n").filter((l) => !l.startsWith("node3")).join("\n");
    const r = await resume(playbook(base.log), { inventory });
    await expectNothingRan(r);
    expect(r.err).toContain("host node3 of the journal");
    expect(r.err).toContain("is no longer in the inventory");
  });

  it("a journal corrupt in the middle", async () => {
    const r = await resume(playbook(base.log), { journalEdit: (l) => [...l.slice(0, 3), "{not json", ...l.slice(3)] });
    await expectNothingRan(r);
    expect(r.err).toMatch(/j\.jsonl:4:1: the journal \S+ cannot be resumed from: line 4 is not JSON/);
  });

  it("but the failed task and what follows may change", async () => {
    const edited = playbook(base.log).replace("node2 is broken", "node2 was broken").replace(/three-/, "THREE-");
    const r = await resume(edited);
    expect(r.code, r.out + r.err).toBe(0);
    expect(await lines("node2", base.log)).toEqual(["one", "hidden", "two", "hidden", "THREE-ONE-TWO-0", "handler"]);
  });
});
