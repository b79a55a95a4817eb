// The journal's lines: one JSON object per line (JSON Lines). A header, then one line per host
// and task result, then a footer with the recap. Read back by reader.ts to resume a run.
import type { HostStats, HostStatus } from "../output/events.js";

export const JOURNAL_FORMAT = 1;

/** What the header says about one task the playbooks define (found before the run starts). */
export interface TaskDefinition {
  /** Fingerprint of the task's definition (its keywords and arguments as loaded). */
  def: string;
  /** Place of the task in the run order, to tell what comes before where a run stopped. */
  at: number;
  /** As the output names it ("role : name"). */
  title: string;
}

export interface HeaderLine {
  t: "header";
  format: number;
  kplay: string;
  started: string;
  /** The command line, with the values of -e and password-like options hidden. */
  argv: string[];
  cwd: string;
  check: boolean;
  /** Absolute paths, in command-line order. */
  playbooks: string[];
  /** Task ids name files relative to this directory (the first playbook's). */
  baseDir: string;
  /** Every task known before the run, by task id. */
  tasks: Record<string, TaskDefinition>;
  inventory: { hosts: string[]; fingerprint: string };
  /** Set when this run resumed another: where from, and the hosts that had completed it. */
  resumed?: { from: string; complete: string[] };
}

/** One host's result for one execution of one task. */
export interface ResultLine {
  t: "result";
  host: string;
  /** Stable task identity: play, role, file:line:column, and the include path for included tasks. */
  task: string;
  /** Which execution of the task on this host (handlers may run once per flush); absent for the first. */
  n?: number;
  /** For included tasks: the id of the static task (the outermost include) they came from. */
  root?: string;
  def: string;
  status: HostStatus;
  changed: boolean;
  /** The failure was ignored (ignore_errors / ignore_unreachable) or rescued: the host went on. */
  passed?: true;
  /** no_log: nothing but the status is recorded. */
  noLog?: true;
  /** The value `register:` stored (absent under no_log). */
  registered?: unknown;
  /** Facts gathered by setup (without the remote environment), for hosts that will not connect again. */
  facts?: Record<string, unknown>;
  /** Copied from the journal this run resumed: done there, not run again here. */
  carried?: true;
}

export interface FooterLine {
  t: "footer";
  ended: string;
  exitCode: number;
  /** Every play ran to its end (no SIGINT, no run stopped because a whole batch was lost). */
  reachedEnd: boolean;
  /** Hosts that have nothing left to do: a resumed run leaves them alone. */
  complete: string[];
  recap: Record<string, HostStats>;
}

export type JournalLine = HeaderLine | ResultLine | FooterLine;

/** A result the host got past: it need not run again when the run is resumed. */
export function isDone(line: ResultLine): boolean {
  return line.status === "ok" || line.status === "changed" || line.status === "skipped" || line.passed === true;
}
