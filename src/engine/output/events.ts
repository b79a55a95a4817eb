// What the executor tells the outside world. The executor emits these and never prints;
// every line a user sees is written by a callback from one of them.

export type HostStatus = "ok" | "changed" | "skipped" | "failed" | "unreachable";

export interface TaskInfo {
  /** Unique per task instance in the run (a task included twice gets two ids). */
  id: string;
  /** As Ansible shows it: "name", "role : name", or the module when unnamed. */
  title: string;
  module: string;
  /** file:line of the task. */
  path: string;
  handler: boolean;
}

export interface HostStats {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

export type RunEvent =
  /** --resume: the journal being resumed, and the hosts that completed it (they do nothing). */
  | { type: "resuming"; journal: string; complete: string[] }
  | { type: "playbook_start"; path: string; check: boolean }
  | { type: "play_start"; name: string; hosts: string[]; strategy: "linear" | "free" }
  | { type: "no_hosts_matched"; pattern: string }
  | { type: "no_more_hosts" }
  | { type: "task_start"; task: TaskInfo; hosts: string[] }
  /** The outcome of one loop item; the host's task result follows once every item is done. */
  | {
      type: "item_result";
      task: TaskInfo;
      host: string;
      delegatedTo?: string;
      status: HostStatus;
      label: unknown;
      result: Record<string, unknown>;
    }
  /** The final outcome of a task on one host. */
  | {
      type: "host_result";
      task: TaskInfo;
      host: string;
      delegatedTo?: string;
      status: HostStatus;
      /** A failure that `ignore_errors`/`ignore_unreachable` turned into a pass. */
      ignored: boolean;
      /** The task looped: items were already reported one by one. */
      looped: boolean;
      result: Record<string, unknown>;
      durationMs: number;
      /** Not run: the journal of the resumed run shows it done (counted as skipped). */
      doneInResumedRun?: true;
    }
  /** An `until` condition was not met yet; the task runs again after its delay. */
  | { type: "retry"; host: string; title: string; retriesLeft: number }
  | { type: "task_end"; task: TaskInfo; durationMs: number }
  | { type: "included"; file: string; hosts: string[]; label?: unknown }
  | { type: "warning"; message: string; host?: string }
  /** Something went wrong in kplay itself; the run stops. */
  | { type: "error"; message: string }
  /** Hosts were lost: the retry file for `--limit @FILE` was written (just before the recap, as Ansible). */
  | { type: "retry_file"; path: string }
  /** `signal` names a SIGTERM that ended the run (an interruption by Ctrl-C has none). */
  | { type: "recap"; stats: Record<string, HostStats>; interrupted: boolean; signal?: "SIGTERM" }
  | { type: "run_end"; exitCode: number };

export interface OutputCallback {
  handle(event: RunEvent): void;
  /** Flushes what is buffered; called once at the end of the run. */
  close(): Promise<void>;
}

/** Fans every event out to each callback, in order; itself a callback, so buses nest. */
export class EventBus implements OutputCallback {
  constructor(private readonly callbacks: OutputCallback[]) {}

  emit(event: RunEvent): void {
    for (const cb of this.callbacks) cb.handle(event);
  }

  handle(event: RunEvent): void {
    this.emit(event);
  }

  async close(): Promise<void> {
    await Promise.all(this.callbacks.map((cb) => cb.close()));
  }
}

export function emptyStats(): HostStats {
  return { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
}
