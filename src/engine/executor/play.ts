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
  bus.emit({ type: "play_start", name: play.name || play.hosts, hosts, strategy: play.strategy });
  if (hosts.length === 0) {
    bus.emit({ type: "no_hosts_matched", pattern: play.hosts });
    return "continue";
  }
  const ordered = orderHosts(hosts, play.order);
  for (const batch of serialBatches(ordered, play.serial)) {
    const states = batch.map((h) => run.host(h));
    const runner = new PlayRunner(run, play, states, ordered);
    await runner.runBatch();
    if (run.interrupted) return "stop";
    if (states.every((h) => h.failed || h.unreachable)) {
      bus.emit({ type: "no_more_hosts" });
      return "stop";
    }
    if (runner.stopped) break;
  }
  return "continue";
}
