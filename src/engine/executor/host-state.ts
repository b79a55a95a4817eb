// What the run knows about each host across plays: gathered facts, variables set by set_fact,
// register and include_vars, and whether the host has left the run.
import type { HostStats } from "../output/events.js";
import { emptyStats } from "../output/events.js";

export class HostState {
  /** ansible_facts, filled by setup; kept for later plays as Ansible does. */
  facts: Record<string, unknown> = {};
  /** set_fact and register results (one precedence level in Ansible). */
  readonly setFacts: Record<string, unknown> = {};
  readonly includedVars: Record<string, unknown> = {};
  readonly stats: HostStats = emptyStats();
  /** A task failed without being ignored or rescued; the host leaves the rest of the run. */
  failed = false;
  unreachable = false;
  /** Took part in at least one play: the recap lists it. */
  played = false;
  /** meta: end_host, or end_play for everyone: no more tasks this play. */
  endedPlay = false;

  constructor(readonly name: string) {}

  /** Still takes tasks in the current play. */
  get active(): boolean {
    return !this.failed && !this.unreachable && !this.endedPlay;
  }
}
