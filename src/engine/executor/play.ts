// A play from start to end: its hosts (pattern ∩ --limit, minus hosts lost earlier), `order`,
// `serial` batches, each batch run in full before the next.
import type { Play } from "../playbook/model.js";
import { resolvePattern } from "../inventory/pattern.js";
import { orderHosts, serialBatches } from "./batches.js";
import { PlayRunner } from "./play-runner.js";
import type { RunContext } from "./run-context.js";

/** "stop" when every host of a batch was lost: Ansible then ends the whole run. */
export async function runPlay(run: RunContext, play: Play): Promise<"continue" | "stop"> {
  const { request, bus } = run;
  const matched = resolvePattern(request.inventory, play.hosts, {
    ...(request.limit !== undefined ? { limit: request.limit } : {}),
    onWarning: (message) => bus.emit({ type: "warning", message }),
  });
  const hosts = matched.filter((h) => !run.host(h).failed && !run.host(h).unreachable);
  const name = play.name || play.hosts;
  if (hosts.length === 0) {
    bus.emit({ type: "play_start", name, hosts, strategy: play.strategy });
    bus.emit({ type: "no_hosts_matched", pattern: play.hosts });
    return "continue";
  }
  const ordered = orderHosts(hosts, play.order);
  for (const batch of serialBatches(ordered, play.serial)) {
    // Ansible shows the play's banner again for every batch.
    bus.emit({ type: "play_start", name, hosts: batch, strategy: play.strategy });
    const states = batch.map((h) => run.host(h));
    const runner = new PlayRunner(run, play, states, ordered);
    await runner.runBatch();
    if (run.interrupted) return "stop";
    // A batch with no host left ends the whole run, as in Ansible.
    if (states.every((h) => h.failed || h.unreachable)) return "stop";
    if (runner.stopped) break;
  }
  return "continue";
}
