import { describe, expect, it } from "vitest";
import { JOURNAL_FORMAT, type HeaderLine, type ResultLine, type TaskDefinition } from "../../../src/engine/journal/format.js";
import type { Journal } from "../../../src/engine/journal/reader.js";
import { planResume, stepKey, type CurrentRun } from "../../../src/engine/journal/resume-plan.js";

// Tasks a, b, c, d in run order; the run failed on h2 at c, h1 went to the end.
const TASKS: Record<string, TaskDefinition> = {
  "0.0 site.yml:3:7": { def: "A", at: 1, title: "a" },
  "0.0 site.yml:6:7": { def: "B", at: 2, title: "b" },
  "0.0 site.yml:9:7": { def: "C", at: 3, title: "c" },
  "0.0 site.yml:12:7": { def: "D", at: 4, title: "d" },
};
const [A, B, C, D] = Object.keys(TASKS);

function header(extra: Partial<HeaderLine> = {}): HeaderLine {
  return {
    t: "header", format: JOURNAL_FORMAT, kplay: "0", started: "", argv: [], cwd: "/", check: false,
    playbooks: ["/p/site.yml"], baseDir: "/p", tasks: TASKS, inventory: { hosts: ["h1", "h2"], fingerprint: "inv" }, ...extra,
  };
}

function line(host: string, task: string, status: ResultLine["status"], extra: Partial<ResultLine> = {}): ResultLine {
  return { t: "result", host, task, def: TASKS[task]?.def ?? "X", status, changed: status === "changed", ...extra };
}

const RESULTS = [
  line("h1", A, "changed", { registered: { stdout: "a1" } }), line("h2", A, "changed", { registered: { stdout: "a2" } }),
  line("h1", B, "ok"), line("h2", B, "ok"),
  line("h1", C, "ok"), line("h2", C, "failed"),
  line("h1", D, "ok"),
];

function journal(results = RESULTS, extra: Partial<Journal> = {}): Journal {
  return {
    path: "/j.jsonl", header: header(), results,
    footer: { t: "footer", ended: "", exitCode: 2, reachedEnd: true, complete: ["h1"], recap: {} }, ...extra,
  };
}

function current(tasks: Record<string, TaskDefinition> = TASKS, extra: Partial<CurrentRun> = {}): CurrentRun {
  return { playbooks: ["/p/site.yml"], hosts: ["h1", "h2"], inventoryFingerprint: "inv", tasks: new Map(Object.entries(tasks)), check: false, ...extra };
}

describe("planning a resume", () => {
  it("knows what each host did, and which hosts completed the run", () => {
    const { plan, errors } = planResume(journal(), current());
    expect(errors).toEqual([]);
    expect([...plan!.complete]).toEqual(["h1"]);
    expect(plan!.steps.get("h2")!.get(stepKey(A, undefined))?.registered).toEqual({ stdout: "a2" });
    expect(plan!.steps.get("h2")!.get(stepKey(C, 1))?.status).toBe("failed");
    // Only done results are carried into the new journal.
    expect(plan!.carried.map((l) => `${l.host} ${TASKS[l.task].title}`)).toEqual(["h1 a", "h1 b", "h1 c", "h1 d", "h2 a", "h2 b"]);
    expect(plan!.carried.every((l) => l.carried)).toBe(true);
    expect(plan!.warnings).toEqual([]);
  });

  it("the last result of a step wins (a carried done line, then a new failure)", () => {
    const { plan } = planResume(journal([...RESULTS, line("h2", B, "failed")]), current());
    expect(plan!.steps.get("h2")!.get(stepKey(B, 1))?.status).toBe("failed");
  });

  it("refuses when a done task before where the run stopped changed, naming it and its file:line", () => {
    const { plan, errors } = planResume(journal(), current({ ...TASKS, [B]: { ...TASKS[B], def: "B2" } }));
    expect(plan).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      kind: "usage",
      message: 'task "b" is done in the journal /j.jsonl, before where that run stopped, but its definition changed since',
      position: { file: "/p/site.yml", line: 6, column: 7 },
    });
    expect(errors[0].hint).toBe("run without --resume to start from the top, or give --journal ANOTHER_FILE");
  });

  it("refuses when such a task disappeared, or another task took its place", () => {
    expect(planResume(journal(), current({ ...TASKS, [B]: { ...TASKS[C], at: 2 } })).errors[0].message).toContain('task "b" is done in the journal /j.jsonl, before where that run stopped, but that place now holds task "c"');
    const { [A]: _gone, ...rest } = TASKS;
    expect(planResume(journal(), current(rest)).errors[0].message).toContain('task "a" is done in the journal /j.jsonl, before where that run stopped, but it is no longer in the playbooks');
  });

  it("allows changing the failed task and what follows; warns about completed hosts that ran the old one", () => {
    const { plan, errors } = planResume(journal(), current({ ...TASKS, [C]: { ...TASKS[C], def: "C2" }, [D]: { ...TASKS[D], def: "D2" } }));
    expect(errors).toEqual([]);
    // h1's results of the changed tasks are stale: not carried.
    expect(plan!.carried.map((l) => `${l.host} ${TASKS[l.task].title}`)).toEqual(["h1 a", "h1 b", "h2 a", "h2 b"]);
    expect(plan!.warnings).toHaveLength(2);
    expect(plan!.warnings[0]).toContain('task "c" changed since the resumed run; h1 ran its earlier definition');
  });

  it("an included task's place is its static root's", () => {
    const included = line("h2", `${A}(xyz) > 0.0 inc.yml:2:3`, "ok", { root: A, def: "I" });
    const failedInside = line("h2", `${D}(xyz) > 0.0 inc.yml:2:3`, "failed", { root: D, def: "I" });
    const { errors } = planResume(journal([...RESULTS.slice(0, 4), included, failedInside]), current({ ...TASKS, [A]: { ...TASKS[A], def: "A2" } }));
    expect(errors[0].message).toContain('task "a"');
  });

  it("an interrupted run (no failure) stopped after everything it did", () => {
    const results = [line("h1", A, "ok"), line("h1", B, "ok")];
    const { errors } = planResume(journal(results, { footer: undefined }), current({ ...TASKS, [B]: { ...TASKS[B], def: "B2" } }));
    expect(errors[0].message).toContain('task "b"');
    const { plan } = planResume(journal(results, { footer: undefined }), current());
    expect(plan!.complete.size).toBe(0);
  });

  it("ignored and rescued failures count as done", () => {
    const results = [line("h1", A, "failed", { passed: true }), line("h2", A, "failed")];
    const { plan } = planResume(journal(results), current());
    expect(plan!.carried.map((l) => l.host)).toEqual(["h1"]);
  });

  it("refuses other playbooks, hosts gone from the inventory, and a --check journal for a real run", () => {
    expect(planResume(journal(), current(TASKS, { playbooks: ["/p/other.yml"] })).errors[0].message).toBe(
      "the journal /j.jsonl ran /p/site.yml, this run asks for /p/other.yml",
    );
    expect(planResume(journal(), current(TASKS, { hosts: ["h1"] })).errors[0].message).toBe("host h2 of the journal /j.jsonl is no longer in the inventory");
    const checked = { ...journal(), header: header({ check: true }) };
    expect(planResume(checked, current()).errors[0].message).toContain("records a --check run");
    expect(planResume(checked, current(TASKS, { check: true })).errors).toEqual([]);
  });

  it("a host that completed a resumed run stays complete; a changed inventory is a warning", () => {
    const resumed = { ...journal(RESULTS, { footer: undefined }), header: header({ resumed: { from: "/old.jsonl", complete: ["h1"] } }) };
    const { plan } = planResume(resumed, current(TASKS, { inventoryFingerprint: "other" }));
    expect([...plan!.complete]).toEqual(["h1"]);
    expect(plan!.warnings).toEqual(["the inventory changed since the run recorded in /j.jsonl"]);
  });
});
