// State shared by everything that runs during one `kplay` invocation.
import type PQueue from "p-queue";
import type { RunRequest } from "../../cli/run-request.js";
import type { EventBus } from "../output/events.js";
import type { Connections } from "./connections.js";
import { HostState } from "./host-state.js";

export class RunContext {
  private readonly hostStates = new Map<string, HostState>();
  /** Set by SIGINT: running tasks get the signal, no new task starts. */
  readonly abort = new AbortController();
  /** --start-at-task: cleared once the named task is reached. */
  startAtTask: string | undefined;

  constructor(
    readonly request: RunRequest,
    readonly bus: EventBus,
    /** -f/--forks: task executions in flight across every host. */
    readonly forks: PQueue,
    readonly connections: Connections,
  ) {
    this.startAtTask = request.startAtTask;
  }

  host(name: string): HostState {
    let state = this.hostStates.get(name);
    if (!state) this.hostStates.set(name, (state = new HostState(name)));
    return state;
  }

  get interrupted(): boolean {
    return this.abort.signal.aborted;
  }

  allHosts(): HostState[] {
    return [...this.hostStates.values()];
  }
}
