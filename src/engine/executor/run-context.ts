// State shared by everything that runs during one `kplay` invocation.
import { setMaxListeners } from "node:events";
import type PQueue from "p-queue";
import type { RunRequest } from "../../cli/run-request.js";
import type { EventBus } from "../output/events.js";
import type { Connections } from "./connections.js";
import type { RunJournal } from "../journal/run-journal.js";
import { HostState } from "./host-state.js";

export class RunContext {
  private readonly hostStates = new Map<string, HostState>();
  /** Set by the first SIGINT: no new task (or loop item, or retry) starts. */
  readonly interruption = new AbortController();
  /** Set when the interruption's grace is over, or by a second SIGINT: running tasks are cut. */
  readonly abort = new AbortController();
  /** SIGTERM ended the run (it also sets both signals above). */
  terminated = false;
  /** any_errors_fatal or max_fail_percentage ended a play: exit 2 even for an unreachable host, as Ansible. */
  failureLimitReached = false;
  /** --start-at-task: cleared once the named task is reached. */
  startAtTask: string | undefined;
  /** Records each host's results and, with --resume, says what is done (docs/resume.md); undefined with --no-journal. */
  journal: RunJournal | undefined;

  constructor(
    readonly request: RunRequest,
    readonly bus: EventBus,
    /** -f/--forks: task executions in flight across every host. */
    readonly forks: PQueue,
    readonly connections: Connections,
  ) {
    this.startAtTask = request.startAtTask;
    // Every host waiting in pause/wait_for/package listens on these signals: hundreds of listeners are expected.
    setMaxListeners(0, this.interruption.signal, this.abort.signal);
  }

  host(name: string): HostState {
    let state = this.hostStates.get(name);
    if (!state) this.hostStates.set(name, (state = new HostState(name)));
    return state;
  }

  get interrupted(): boolean {
    return this.interruption.signal.aborted;
  }

  allHosts(): HostState[] {
    return [...this.hostStates.values()];
  }
}
