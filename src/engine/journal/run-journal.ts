// What the executor asks of the journal, per host and task: "which execution is this?",
// "did the resumed run do it already?", "record this result". Also opens the journal (refusing
// an unsafe resume before anything runs) and closes it with the retry file and the footer.
import { dirname, resolve } from "node:path";
import type { RunRequest } from "../../cli/run-request.js";
import type { ErrorContext } from "../errors.js";
import type { HostStats, HostStatus } from "../output/events.js";
import type { Play, TaskNode } from "../playbook/model.js";
import { isDone, type FooterLine, type ResultLine } from "./format.js";
import { headerLine, inventoryFingerprint } from "./header.js";
import { DEFAULT_JOURNAL_DIR, journalLocation, journalToResume, pruneJournals, retryFilePath, runName, type JournalLocation } from "./location.js";
import { readJournal } from "./reader.js";
import { planResume, stepKey, type ResumePlan } from "./resume-plan.js";
import { updateRetryFile } from "./retry-file.js";
import { TaskTable, type IncludeScope } from "./task-table.js";
import { JournalWriter } from "./writer.js";

/** One execution of one task on one host. */
export interface TaskStep {
  host: string;
  id: string;
  root?: string;
  n: number;
  def: string;
}

/** What a skipped-as-done task gives back: its outcome, and the state later tasks need. */
export interface DoneTask {
  changed: boolean;
  registered?: unknown;
  facts?: Record<string, unknown>;
}

export interface Outcome {
  status: HostStatus;
  /** ignore_errors / ignore_unreachable turned the failure into a pass. */
  ignored: boolean;
  /** The failure happened inside a block with `rescue:`. */
  rescuable: boolean;
  noLog: boolean;
  result: Record<string, unknown>;
}

/** Host state at the end of the run, as the executor knows it. */
export interface HostEnd {
  name: string;
  played: boolean;
  failed: boolean;
  unreachable: boolean;
  stats: HostStats;
}

/** Run again even when done: later tasks need what they set, or the tasks they bring in. */
const ALWAYS_RUN = new Set(["set_fact", "include_vars", "include_tasks", "include_role"]);

/** setup's facts without the remote environment, which may hold tokens. */
function storedFacts(result: Record<string, unknown>): Record<string, unknown> | undefined {
  const facts = result.ansible_facts as Record<string, unknown> | undefined;
  if (!facts) return undefined;
  const { env: _env, ...rest } = facts;
  return rest;
}

export class RunJournal {
  private readonly counts = new Map<string, Map<string, number>>();
  private readonly warnedChanged = new Set<string>();

  private constructor(
    private readonly writer: JournalWriter,
    private readonly table: TaskTable,
    private readonly location: JournalLocation,
    /** Set when resuming. */
    readonly plan: ResumePlan | undefined,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Opens the run's journal (undefined with --no-journal). When resuming, the journal to resume is
   * read and checked first: the errors say why it is unsafe, and nothing is written then.
   */
  static open(request: RunRequest, warn: (message: string) => void): { journal?: RunJournal; errors: ErrorContext[] } {
    // (The command line refuses --resume with --no-journal.)
    if (request.journal === false) return { errors: [] };
    const cwd = process.cwd();
    const playbooks = request.playbooks.map((p) => resolve(p.path));
    const table = new TaskTable(request.playbooks, dirname(playbooks[0] ?? resolve(cwd, "playbook")));
    let plan: ResumePlan | undefined;
    if (request.resume) {
      const from = journalToResume(request.journal, playbooks, cwd);
      if (from === undefined) {
        return { errors: [{ kind: "usage", message: `there is no journal of ${runName(playbooks)} in ${DEFAULT_JOURNAL_DIR} to resume`, hint: "run without --resume, or name the journal with --journal PATH" }] };
      }
      const read = readJournal(from);
      if (!read.journal) return { errors: read.errors };
      const planned = planResume(read.journal, {
        playbooks,
        hosts: request.inventory.hostNames,
        inventoryFingerprint: inventoryFingerprint(request.inventory),
        tasks: table.byId,
        check: request.check,
      });
      if (!planned.plan) return { errors: planned.errors };
      plan = planned.plan;
    }
    const location = journalLocation(request.journal, playbooks, cwd, new Date());
    const header = headerLine({
      playbooks,
      table,
      inventory: request.inventory,
      check: request.check,
      started: new Date(),
      argv: process.argv.slice(2),
      cwd,
      ...(plan ? { resumed: { from: plan.from, complete: [...plan.complete] } } : {}),
    });
    let writer: JournalWriter;
    try {
      writer = new JournalWriter(location.path, [header, ...(plan?.carried ?? [])]);
    } catch (e) {
      return { errors: [{ kind: "usage", message: `the journal ${location.path} cannot be written: ${(e as Error).message}`, hint: "give --journal a writable PATH, or run with --no-journal" }] };
    }
    if (request.journal === undefined) pruneJournals(location.dir, location.name);
    const journal = new RunJournal(writer, table, location, plan, warn);
    for (const message of plan?.warnings ?? []) warn(message);
    return { journal, errors: [] };
  }

  get path(): string {
    return this.writer.path;
  }

  /** Counts the execution (handlers may run once per flush) and names it. */
  begin(play: Play, task: TaskNode, scope: IncludeScope | undefined, host: string): TaskStep {
    const { id, root } = this.table.idOf(play, task, scope);
    let counts = this.counts.get(host);
    if (!counts) this.counts.set(host, (counts = new Map()));
    const n = (counts.get(id) ?? 0) + 1;
    counts.set(id, n);
    return { host, id, ...(root !== undefined ? { root } : {}), n, def: this.table.definition(task, id) };
  }

  /** Where the tasks an include brought in on a host belong. */
  includeScope(parent: IncludeScope | undefined, play: Play, include: TaskNode, file: string, params: unknown): IncludeScope {
    return this.table.includeScope(parent, this.table.idOf(play, include, parent), file, params);
  }

  /** The recorded outcome when the resumed run did this already and it need not run again. */
  doneBefore(step: TaskStep, task: TaskNode): DoneTask | undefined {
    const plan = this.plan;
    if (!plan || ALWAYS_RUN.has(task.module)) return undefined;
    const line = plan.steps.get(step.host)?.get(stepKey(step.id, step.n));
    // A host that completed the resumed run does nothing: no connection, only its state restored.
    if (plan.complete.has(step.host)) return doneTask(line);
    // Facts are gathered again on a host that goes on: the failure may have changed them.
    if (task.module === "setup" || !line || !isDone(line)) return undefined;
    if (line.def !== step.def) {
      if (!this.warnedChanged.has(step.id)) {
        this.warnedChanged.add(step.id);
        const title = this.table.byId.get(step.id)?.title ?? task.name ?? task.action;
        this.warn(`task "${title}" (${step.id}) changed since the resumed run: it runs again`);
      }
      return undefined;
    }
    // A registered value that was not recorded (no_log) can only come back by running the task.
    if (task.register !== undefined && !("registered" in line)) return undefined;
    return doneTask(line);
  }

  record(step: TaskStep, task: TaskNode, outcome: Outcome): void {
    const { status, result } = outcome;
    const passed = (status === "failed" && (outcome.ignored || outcome.rescuable)) || (status === "unreachable" && outcome.ignored);
    const line: ResultLine = {
      t: "result",
      host: step.host,
      task: step.id,
      ...(step.n > 1 ? { n: step.n } : {}),
      ...(step.root !== undefined ? { root: step.root } : {}),
      def: step.def,
      status,
      changed: result.changed === true,
      ...(passed ? { passed: true } : {}),
    };
    if (outcome.noLog) line.noLog = true;
    else {
      if (task.register !== undefined) line.registered = result;
      if (task.module === "setup" && status === "ok") line.facts = storedFacts(result);
    }
    try {
      this.writer.append(line);
    } catch {
      // A value JSON cannot hold (a cycle): the status is still worth recording.
      const { registered: _r, facts: _f, ...plain } = line;
      this.writer.append(plain);
    }
  }

  /** Before the recap, as Ansible does: the retry file, or its removal after a successful run. */
  retryFile(hosts: readonly HostEnd[], exitCode: number): string | undefined {
    const lost = hosts.filter((h) => h.failed || h.unreachable).map((h) => h.name);
    const path = retryFilePath(this.location);
    try {
      return updateRetryFile(path, lost, exitCode === 0);
    } catch (e) {
      this.warn(`the retry file ${path} could not be updated: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** Writes the footer and flushes the journal; a failure to write is reported, not thrown. */
  async close(hosts: readonly HostEnd[], exitCode: number, reachedEnd: boolean): Promise<void> {
    const failed = new Set(hosts.filter((h) => h.failed || h.unreachable).map((h) => h.name));
    const played = hosts.filter((h) => h.played);
    const complete = new Set(reachedEnd ? played.filter((h) => !failed.has(h.name)).map((h) => h.name) : []);
    // Hosts that had completed the resumed run stay complete unless this run lost them.
    for (const h of this.plan?.complete ?? []) if (!failed.has(h)) complete.add(h);
    const footer: FooterLine = {
      t: "footer",
      ended: new Date().toISOString(),
      exitCode,
      reachedEnd,
      complete: [...complete],
      recap: Object.fromEntries(played.map((h) => [h.name, h.stats])),
    };
    await this.writer.close(footer).catch((e: Error) => this.warn(`the journal ${this.path} could not be written: ${e.message}`));
  }
}

function doneTask(line: ResultLine | undefined): DoneTask {
  return {
    changed: line?.changed === true,
    ...(line && "registered" in line ? { registered: line.registered } : {}),
    ...(line?.facts ? { facts: line.facts } : {}),
  };
}

