// Decides, before anything runs, whether a journal is safe to resume from and what each host has
// done already. Pure: the journal and the current run go in, a plan or the reasons to refuse come out.
import { resolve } from "node:path";
import type { ErrorContext, SourcePosition } from "../errors.js";
import { isDone, type ResultLine, type TaskDefinition } from "./format.js";
import { START_OVER, type Journal } from "./reader.js";

export interface CurrentRun {
  /** Absolute playbook paths, in command-line order. */
  playbooks: string[];
  hosts: readonly string[];
  inventoryFingerprint: string;
  /** The tasks of the current playbooks, by id (TaskTable.byId). */
  tasks: ReadonlyMap<string, TaskDefinition>;
  check: boolean;
}

export interface ResumePlan {
  from: string;
  /** Hosts that completed the resumed run: they do nothing. */
  complete: ReadonlySet<string>;
  /** Per host, the last result of each task execution, by step key (see stepKey). */
  steps: ReadonlyMap<string, ReadonlyMap<string, ResultLine>>;
  /** Done results still valid for the current playbooks, copied into the new journal. */
  carried: ResultLine[];
  warnings: string[];
}

/** "id#n": one execution of one task on a host. */
export function stepKey(task: string, n: number | undefined): string {
  return `${task}#${n ?? 1}`;
}

/** file:line:column of a task id, for messages. */
function positionOf(id: string, baseDir: string): SourcePosition | undefined {
  const m = /(\S+):(\d+):(\d+)$/.exec(id);
  return m ? { file: resolve(baseDir, m[1]), line: Number(m[2]), column: Number(m[3]) } : undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function planResume(journal: Journal, current: CurrentRun): { plan?: ResumePlan; errors: ErrorContext[] } {
  const { header, path } = journal;
  const refuse = (message: string, position?: SourcePosition): ErrorContext => ({ kind: "usage", message, ...(position ? { position } : {}), hint: START_OVER });
  if (header.check && !current.check) {
    return { errors: [refuse(`the journal ${path} records a --check run: nothing it shows was done`)] };
  }
  if (!sameList(header.playbooks, current.playbooks)) {
    return { errors: [refuse(`the journal ${path} ran ${header.playbooks.join(" ")}, this run asks for ${current.playbooks.join(" ")}`)] };
  }

  const last = new Map<string, Map<string, ResultLine>>();
  for (const line of journal.results) {
    let steps = last.get(line.host);
    if (!steps) last.set(line.host, (steps = new Map()));
    steps.set(stepKey(line.task, line.n), line);
  }
  const errors: ErrorContext[] = [];
  const known = new Set(current.hosts);
  const gone = [...last.keys()].filter((h) => !known.has(h));
  if (gone.length > 0) errors.push(refuse(`host${gone.length > 1 ? "s" : ""} ${gone.join(", ")} of the journal ${path} ${gone.length > 1 ? "are" : "is"} no longer in the inventory`));

  // The run stopped at its earliest unfinished task; what comes before it must not have changed.
  const atOf = (line: ResultLine) => header.tasks[line.root ?? line.task]?.at ?? Number.POSITIVE_INFINITY;
  let stoppedAt = Number.POSITIVE_INFINITY;
  for (const steps of last.values()) for (const line of steps.values()) if (!isDone(line)) stoppedAt = Math.min(stoppedAt, atOf(line));

  const reported = new Set<string>();
  const unchanged = (id: string) => current.tasks.get(id)?.def === header.tasks[id]?.def && current.tasks.has(id);
  for (const steps of last.values()) {
    for (const line of steps.values()) {
      const id = line.root ?? line.task;
      if (!isDone(line) || atOf(line) >= stoppedAt || unchanged(id) || reported.has(id)) continue;
      reported.add(id);
      const title = header.tasks[id]?.title ?? id;
      const now = current.tasks.get(id);
      const what = !now ? "it is no longer in the playbooks" : now.title !== title ? `that place now holds task "${now.title}"` : "its definition changed since";
      errors.push(refuse(`task "${title}" is done in the journal ${path}, before where that run stopped, but ${what}`, positionOf(id, header.baseDir)));
    }
  }
  if (errors.length > 0) return { errors };

  const complete = new Set([...(journal.footer?.complete ?? []), ...(header.resumed?.complete ?? [])]);
  const carried: ResultLine[] = [];
  const changedOnComplete = new Map<string, Set<string>>();
  for (const [host, steps] of last) {
    for (const line of steps.values()) {
      if (!isDone(line)) continue;
      const id = line.root ?? line.task;
      const valid = line.root === undefined ? current.tasks.get(id)?.def === line.def : unchanged(id);
      if (valid) carried.push({ ...line, carried: true });
      else if (complete.has(host) && current.tasks.has(id) && line.status !== "skipped") {
        let hosts = changedOnComplete.get(id);
        if (!hosts) changedOnComplete.set(id, (hosts = new Set()));
        hosts.add(host);
      }
    }
  }
  const warnings = [...changedOnComplete].map(
    ([id, hosts]) =>
      `task "${header.tasks[id]?.title ?? id}" changed since the resumed run; ${[...hosts].join(", ")} ran its earlier definition and, having completed that run, ${hosts.size > 1 ? "are" : "is"} left alone (run without --resume to apply the change there)`,
  );
  if (header.inventory.fingerprint !== current.inventoryFingerprint) warnings.push(`the inventory changed since the run recorded in ${path}`);
  return { plan: { from: path, complete, steps: last, carried, warnings }, errors: [] };
}
