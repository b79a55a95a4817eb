// One play on one batch of hosts: facts, pre_tasks, handlers, roles, tasks, handlers, post_tasks,
// handlers. `linear` walks the items with every host in lockstep; `free` walks them per host.
// Blocks, rescue/always, handlers, meta and dynamic includes are handled here; the task itself
// runs in task-runner.ts.
import PQueue from "p-queue";
import type { Vars } from "../expr/evaluator.js";
import type { TaskInfo } from "../output/events.js";
import type { BlockNode, Play, PlayItem, TaskNode } from "../playbook/model.js";
import { selectByTags } from "../playbook/tags.js";
import { exceedsMaxFailPercentage } from "./batches.js";
import { HandlerNotifications } from "./handlers.js";
import type { HostState } from "./host-state.js";
import { DynamicIncludes } from "./dynamic-includes.js";
import { keywordBool, keywordNumber, keywordString } from "./keywords.js";
import { censored, statusOf, type TaskResult } from "./results.js";
import type { RunContext } from "./run-context.js";
import { PlayScopes } from "./scope.js";
import { taskInfo } from "./task-info.js";
import type { DoneTask, TaskStep } from "../journal/run-journal.js";
import type { IncludeScope } from "../journal/task-table.js";
import { TaskRunner } from "./task-runner.js";

/** Where in the play a list of items runs. */
export interface Walk {
  /** Inside the `block:` section of a block that has a `rescue:`: failures are rescued. */
  rescuable: boolean;
  handler: boolean;
  /** Variables of the `include_tasks`/`include_role` that brought these items in. */
  includeParams?: Record<string, unknown>;
  /** The include path of these items, part of their identity in the journal. */
  journalScope?: IncludeScope;
}

const TOP: Walk = { rescuable: false, handler: false };

export class PlayRunner {
  readonly scopes: PlayScopes;
  private readonly runner: TaskRunner;
  private readonly handlers: HandlerNotifications;
  private readonly includes: DynamicIncludes;
  /** meta: end_play, any_errors_fatal or max_fail_percentage: later batches do not run either. */
  stopped = false;

  constructor(
    private readonly run: RunContext,
    private readonly play: Play,
    private readonly batch: HostState[],
    playHosts: string[],
  ) {
    this.scopes = new PlayScopes(run, play, playHosts, batch.map((h) => h.name));
    this.runner = new TaskRunner({ run, scopes: this.scopes });
    this.handlers = new HandlerNotifications(play.handlers);
    this.includes = new DynamicIncludes(play, (handlers) => this.handlers.add(handlers));
  }

  async runBatch(): Promise<void> {
    for (const h of this.batch) {
      h.endedPlay = false;
      h.played = true;
    }
    if (this.play.strategy === "free") await Promise.all(this.batch.map((h) => this.sections([h])));
    else await this.sections(this.batch);
  }

  private async sections(hosts: HostState[]): Promise<void> {
    if (this.play.gather_facts) await this.runTask(this.factsTask(), hosts, TOP);
    await this.items(this.play.pre_tasks, hosts, TOP);
    await this.flushHandlers(hosts);
    await this.items(this.play.roles, hosts, TOP);
    await this.items(this.play.tasks, hosts, TOP);
    await this.flushHandlers(hosts);
    await this.items(this.play.post_tasks, hosts, TOP);
    await this.flushHandlers(hosts);
  }

  /** Ansible's implicit "Gathering Facts" task, with the play's connection settings. */
  private factsTask(): TaskNode {
    const p = this.play;
    return {
      kind: "task", name: "Gathering Facts", module: "setup", action: "gather_facts", args: {}, position: p.position,
      tags: ["always"],
      ...(p.become !== undefined ? { become: p.become } : {}),
      ...(p.become_user !== undefined ? { become_user: p.become_user } : {}),
      ...(p.remote_user !== undefined ? { remote_user: p.remote_user } : {}),
      ...(p.connection !== undefined ? { connection: p.connection } : {}),
      ...(p.environment !== undefined ? { environment: p.environment } : {}),
      ...(p.vars !== undefined ? { vars: p.vars } : {}),
    };
  }

  private live(hosts: HostState[]): HostState[] {
    return hosts.filter((h) => h.active);
  }

  async items(items: readonly PlayItem[], hosts: HostState[], walk: Walk): Promise<void> {
    for (const item of items) {
      if (this.run.interrupted || this.live(hosts).length === 0) return;
      if (item.kind === "block") await this.block(item, hosts, walk);
      else await this.runTask(item, this.live(hosts), walk);
    }
  }

  private async block(block: BlockNode, hosts: HostState[], walk: Walk): Promise<void> {
    const entered = this.live(hosts);
    await this.items(block.block, entered, { ...walk, rescuable: walk.rescuable || block.rescue.length > 0 });
    const failed = entered.filter((h) => h.failed && !h.unreachable);
    if (block.rescue.length > 0 && failed.length > 0) {
      for (const h of failed) h.failed = false;
      await this.items(block.rescue, failed, walk);
    }
    if (block.always.length > 0) {
      // Hosts that failed in the block still run `always`, then stay failed.
      const stillFailed = entered.filter((h) => h.failed && !h.unreachable);
      for (const h of stillFailed) h.failed = false;
      await this.items(block.always, entered, walk);
      for (const h of stillFailed) h.failed = true;
    }
  }

  private async flushHandlers(hosts: HostState[]): Promise<void> {
    let from = 0;
    for (;;) {
      if (this.run.interrupted) return;
      const live = new Set(this.live(hosts).map((h) => h.name));
      const next = this.handlers.takeNext(live, from);
      if (!next) return;
      from = next.next;
      await this.runTask(next.handler, hosts.filter((h) => next.hosts.includes(h.name)), { rescuable: false, handler: true });
    }
  }

  /** Whether --tags/--skip-tags and --start-at-task let this task run. */
  private selected(task: TaskNode, walk: Walk): boolean {
    if (walk.handler) return true;
    const { tags, skipTags } = this.run.request;
    if (!selectByTags(task, tags, skipTags)) return false;
    if (this.run.startAtTask !== undefined && task.name !== "Gathering Facts") {
      const names = [task.name, task.role && task.name ? `${task.role.name} : ${task.name}` : undefined];
      if (!names.includes(this.run.startAtTask)) return false;
      this.run.startAtTask = undefined;
    }
    return true;
  }

  private async runTask(task: TaskNode, hosts: HostState[], walk: Walk): Promise<void> {
    if (hosts.length === 0 || this.run.interrupted || !this.selected(task, walk)) return;
    if (task.module === "meta") return this.meta(task, hosts, walk);
    const info = taskInfo(task, walk.handler);
    const started = Date.now();
    const varsOf = new Map(hosts.map((h) => [h, this.scopes.forTask(h, task, walk.includeParams)]));
    const runOnce = this.flag(task.run_once, varsOf.get(hosts[0])!, hosts[0]);
    const targets = runOnce ? hosts.slice(0, 1) : hosts;
    this.run.bus.emit({ type: "task_start", task: info, hosts: targets.map((h) => h.name) });

    const dynamic = task.module === "include_tasks" || task.module === "include_role";
    const throttle = this.number(task.throttle, varsOf.get(hosts[0])!, hosts[0]);
    const limit = throttle > 0 ? new PQueue({ concurrency: throttle }) : undefined;
    const one = async (h: HostState): Promise<TaskResult> => {
      const vars = varsOf.get(h)!;
      const step = this.run.journal?.begin(this.play, task, walk.journalScope, h.name);
      const done = step && this.run.journal!.doneBefore(step, task);
      if (done) return this.finishDone(task, info, h, vars, done);
      const work = () =>
        this.run.forks.add(async () => {
          // Ctrl-C while this host waited for a fork: it does not start the task (no result shown).
          if (this.run.interrupted) return { changed: false, skipped: true, msg: "not started: the run was interrupted" };
          const t0 = Date.now();
          const result = dynamic ? await this.includes.resolve(task, h, vars, this.scopes) : await this.runner.run(task, info, h, vars);
          this.finish(task, info, h, vars, result, walk, Date.now() - t0, step);
          return result;
        }) as Promise<TaskResult>;
      return limit ? ((await limit.add(work)) as TaskResult) : work();
    };
    const results = await Promise.all(targets.map(one));

    if (runOnce) this.shareRunOnce(task, hosts, results[0], walk);
    this.run.bus.emit({ type: "task_end", task: info, durationMs: Date.now() - started });
    this.checkFailureLimits(task, hosts, varsOf.get(hosts[0])!, walk);
    if (dynamic) {
      // Ansible lists every inclusion first, then runs them one after the other.
      const groups = this.includes.take(task, targets);
      if (task.module === "include_tasks") {
        for (const g of groups) this.run.bus.emit({ type: "included", file: g.file, hosts: g.hosts.map((h) => h.name), ...(g.label !== undefined ? { label: g.label } : {}) });
      }
      for (const g of groups) {
        const journalScope = this.run.journal?.includeScope(walk.journalScope, this.play, task, g.file, [g.params, g.label]);
        await this.items(g.items, g.hosts, { ...walk, includeParams: { ...walk.includeParams, ...g.params }, journalScope });
      }
    }
  }

  /** Applies a host's result: stats, register, failure state, notifications, then reports it. */
  private finish(task: TaskNode, info: TaskInfo, host: HostState, vars: Vars, result: TaskResult, walk: Walk, durationMs: number, step?: TaskStep): void {
    if (task.register) host.setFacts[task.register] = result;
    const status = statusOf(result);
    const s = host.stats;
    let ignored = false;
    switch (status) {
      case "unreachable":
        if (this.flag(task.ignore_unreachable, vars, host)) {
          ignored = true;
          s.ok++;
          s.ignored++;
        } else {
          s.unreachable++;
          host.unreachable = true;
        }
        break;
      case "failed":
        if (this.flag(task.ignore_errors, vars, host)) {
          ignored = true;
          s.ok++;
          s.ignored++;
          if (result.changed) s.changed++;
        } else {
          host.failed = true;
          if (walk.rescuable) {
            // Ansible counts a failure inside a block with `rescue:` as rescued, at once.
            s.rescued++;
            host.setFacts.ansible_failed_task = { name: task.name ?? task.action, action: task.action };
            host.setFacts.ansible_failed_result = result;
          } else {
            s.failed++;
          }
        }
        break;
      case "skipped":
        s.skipped++;
        break;
      default:
        // An include counts once per included file (include_role not at all), as in Ansible.
        s.ok += typeof result._included === "number" ? result._included : 1;
        if (status === "changed") {
          s.changed++;
          this.notify(task, host, vars);
        }
    }
    const noLog = this.flag(task.no_log, vars, host);
    this.run.bus.emit({
      type: "host_result",
      task: info,
      host: host.name,
      ...(task.delegate_to ? { delegatedTo: this.delegateShown(task, vars) } : {}),
      status,
      ignored,
      looped: task.loop !== undefined && Array.isArray(result.results),
      result: noLog ? censored(result) : result,
      durationMs,
    });
    if (step) this.run.journal!.record(step, task, { status, ignored, rescuable: walk.rescuable, noLog, result });
  }

  /** --resume: the journal shows this done; restore what it left (register, facts, notifications). */
  private finishDone(task: TaskNode, info: TaskInfo, host: HostState, vars: Vars, done: DoneTask): TaskResult {
    if (task.register && done.registered !== undefined) host.setFacts[task.register] = done.registered;
    if (done.facts) host.facts = { ...host.facts, ...done.facts };
    host.stats.skipped++;
    // Handlers it notified run unless the journal shows them run too.
    if (done.changed) this.notify(task, host, vars);
    const result: TaskResult = { changed: false, skipped: true, skip_reason: "done in the resumed run" };
    this.run.bus.emit({ type: "host_result", task: info, host: host.name, status: "skipped", ignored: false, looped: false, result, durationMs: 0, doneInResumedRun: true });
    return (done.registered as TaskResult | undefined) ?? result;
  }

  /** A keyword read around the task: a template error there is reported, not fatal to the run. */
  private flag(value: boolean | string | undefined, vars: Vars, host: HostState): boolean {
    try {
      return keywordBool(value, vars) === true;
    } catch (e) {
      this.run.bus.emit({ type: "warning", host: host.name, message: (e as Error).message });
      return false;
    }
  }

  private number(value: number | string | undefined, vars: Vars, host: HostState): number {
    try {
      return keywordNumber(value, vars) ?? 0;
    } catch (e) {
      this.run.bus.emit({ type: "warning", host: host.name, message: (e as Error).message });
      return 0;
    }
  }

  private delegateShown(task: TaskNode, vars: Vars): string {
    try {
      return this.scopes.delegateName(task, vars) ?? "";
    } catch {
      return String(task.delegate_to);
    }
  }

  private notify(task: TaskNode, host: HostState, vars: Vars): void {
    for (const written of task.notify ?? []) {
      let name: string;
      try {
        name = keywordString(written, vars) ?? written;
      } catch (e) {
        this.run.bus.emit({ type: "warning", host: host.name, message: (e as Error).message });
        continue;
      }
      if (!this.handlers.notify(name, host.name)) {
        this.run.bus.emit({ type: "warning", host: host.name, message: `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list` });
      }
    }
  }

  /** run_once: every host of the batch gets the result (register, set_fact) and notifications. */
  private shareRunOnce(task: TaskNode, hosts: HostState[], result: TaskResult, walk: Walk): void {
    const [first, ...others] = hosts;
    for (const h of others) {
      if (task.register) h.setFacts[task.register] = result;
      if (task.module === "set_fact" && !result.failed) Object.assign(h.setFacts, result.ansible_facts);
      if (first.failed) h.failed = true;
      if (result.changed && !result.failed) this.notify(task, h, this.scopes.forTask(h, task, walk.includeParams));
    }
  }

  /**
   * any_errors_fatal and max_fail_percentage end the play for the whole batch. Not inside a block
   * with `rescue:`: those failures may still be rescued (Ansible does not count them either).
   */
  private checkFailureLimits(task: TaskNode, hosts: HostState[], vars: Vars, walk: Walk): void {
    if (walk.rescuable) return;
    const lost = this.batch.filter((h) => h.failed || h.unreachable).length;
    const anyFatal = hosts.some((h) => h.failed || h.unreachable) && this.flag(task.any_errors_fatal, vars, hosts[0]);
    if (!this.stopped && (anyFatal || exceedsMaxFailPercentage(lost, this.batch.length, this.play.max_fail_percentage))) {
      for (const h of this.batch) if (!h.unreachable) h.failed = true;
      this.stopped = true;
      this.run.failureLimitReached = true;
      this.run.bus.emit({ type: "no_more_hosts" });
    }
  }

  private async meta(task: TaskNode, hosts: HostState[], walk: Walk): Promise<void> {
    const action = String(task.args.action);
    const chosen = hosts.filter((h) => {
      try {
        return this.scopes.conditionHolds(task, h, walk.includeParams);
      } catch (e) {
        this.run.bus.emit({ type: "warning", host: h.name, message: `meta: ${action}: ${(e as Error).message}` });
        return false;
      }
    });
    switch (action) {
      case "flush_handlers":
        if (chosen.length > 0) await this.flushHandlers(hosts);
        return;
      case "end_play":
        if (chosen.length > 0) {
          for (const h of this.batch) h.endedPlay = true;
          this.stopped = true;
        }
        return;
      case "end_host":
        for (const h of chosen) h.endedPlay = true;
        return;
      case "clear_facts":
        for (const h of chosen) h.facts = {};
        return;
      default:
        // noop, refresh_inventory (the inventory is fixed for the run).
        return;
    }
  }
}
