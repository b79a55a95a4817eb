// One task on one host, as Ansible's TaskExecutor does it: `when` (per loop item), loops,
// argument templating and validation, the module call, changed_when / failed_when, until/retries.
// It computes the host's result and reports loop items; the strategy decides what follows.
import { setTimeout as sleep } from "node:timers/promises";
import { isKplayError, KplayError, formatPosition, type SourcePosition } from "../errors.js";
import { evaluateCondition, isTemplated, renderValue } from "../expr/render.js";
import { unsafeLayer } from "../vars/scope.js";
import type { Vars } from "../expr/evaluator.js";
import type { TaskInfo } from "../output/events.js";
import type { TaskNode } from "../playbook/model.js";
import { findModule } from "../../modules/registry.js";
import type { ModuleContext, ModuleDefinition } from "../../modules/types.js";
import { normalizeModuleArgs } from "../../modules/validate-args.js";
import { onAbort } from "./abort-waiters.js";
import type { HostState } from "./host-state.js";
import { keywordBool, keywordNumber } from "./keywords.js";
import { loopItems } from "./loop-items.js";
import { censored, loopResult, skippedResult, statusOf, type TaskResult } from "./results.js";
import type { PlayScopes } from "./scope.js";
import type { RunContext } from "./run-context.js";
import { stripOmitted } from "./omit.js";

export interface TaskEnv {
  run: RunContext;
  scopes: PlayScopes;
}

function positionOf(task: TaskNode, keyword: string): SourcePosition {
  return task.positions?.[keyword] ?? task.position;
}

/** An error met while running a task, as the failed result Ansible would show. */
function errorResult(e: unknown, task: TaskNode): TaskResult {
  if (isKplayError(e)) {
    const where = e.context.position ? `${formatPosition(e.context.position)}: ` : "";
    return { changed: false, failed: true, msg: `${where}${e.message}${e.context.hint ? ` (${e.context.hint})` : ""}` };
  }
  return { changed: false, failed: true, msg: `${formatPosition(task.position)}: ${(e as Error).message ?? String(e)}` };
}

// Static arguments are normalized and validated once per task, not once per host.
const staticArgs = new WeakMap<TaskNode, ReturnType<typeof normalizeModuleArgs>>();

function moduleArgs(module: ModuleDefinition<any>, task: TaskNode, vars: Vars): Record<string, unknown> {
  let normalized = staticArgs.get(task);
  if (!normalized) {
    const templated = isTemplated(task.args);
    const rendered = templated ? stripOmitted(renderValue(task.args, vars, { position: positionOf(task, "args") })) : task.args;
    normalized = normalizeModuleArgs(module, rendered as Record<string, unknown>);
    if (!templated) staticArgs.set(task, normalized);
  }
  if (normalized.errors.length > 0) {
    throw new KplayError({
      kind: "module-args",
      message: `invalid arguments: ${normalized.errors.map((e) => e.message).join("; ")}`,
      position: positionOf(task, "args"),
      hint: normalized.errors.find((e) => e.hint)?.hint,
    });
  }
  return normalized.args as Record<string, unknown>;
}

export class TaskRunner {
  constructor(private readonly env: TaskEnv) {}

  /** The host's result for the task; loop items are reported as they finish. */
  async run(task: TaskNode, info: TaskInfo, host: HostState, vars: Vars): Promise<TaskResult> {
    try {
      if (task.loop === undefined) {
        if (!this.test(task.when, vars, task, "when")) return skippedResult();
        return await this.runWithRetries(task, host, vars);
      }
      return await this.runLoop(task, info, host, vars);
    } catch (e) {
      return errorResult(e, task);
    }
  }

  private test(conditions: string[] | string | undefined, vars: Vars, task: TaskNode, keyword: string): boolean {
    if (conditions === undefined || (Array.isArray(conditions) && conditions.length === 0)) return true;
    return evaluateCondition(conditions, vars, { position: positionOf(task, keyword) });
  }

  private async runLoop(task: TaskNode, info: TaskInfo, host: HostState, vars: Vars): Promise<TaskResult> {
    const items = loopItems(renderValue(task.loop, vars, { position: positionOf(task, "loop") }), task.loop_with, info.title);
    const control = task.loop_control ?? {};
    const loopVar = control.loop_var ?? "item";
    const noLog = keywordBool(task.no_log, vars);
    const results: TaskResult[] = [];
    // set_fact / include_vars results are visible to the next items, as in Ansible.
    let base = vars;
    for (let i = 0; i < items.length; i++) {
      if (this.env.run.interrupted) break;
      if (i > 0 && control.pause) await sleep(control.pause * 1000);
      const layer: Record<string, unknown> = { [loopVar]: items[i], ansible_loop_var: loopVar };
      if (control.index_var) {
        layer[control.index_var] = i;
        layer.ansible_index_var = control.index_var;
      }
      if (control.extended) layer.ansible_loop = extendedLoopInfo(items, i);
      const itemVars = this.env.scopes.withLayer(base, layer);
      let r: TaskResult;
      let label: unknown = items[i];
      let delegatedTo: string | undefined;
      try {
        if (control.label !== undefined) label = renderValue(control.label, itemVars);
        if (task.delegate_to) delegatedTo = String(renderValue(task.delegate_to, itemVars));
        r = this.test(task.when, itemVars, task, "when") ? await this.runWithRetries(task, host, itemVars) : skippedResult();
      } catch (e) {
        r = errorResult(e, task);
      }
      if (isVariableModule(task.module) && r.ansible_facts && !r.failed) {
        base = this.env.scopes.withLayer(base, r.ansible_facts as Record<string, unknown>);
      }
      r = { ...r, ...layer };
      delete r.ansible_loop;
      results.push(r);
      this.env.run.bus.emit({
        type: "item_result",
        task: info,
        host: host.name,
        ...(delegatedTo !== undefined ? { delegatedTo } : {}),
        status: statusOf(r),
        label: noLog ? "None" : label,
        result: noLog ? censored(r) : r,
      });
    }
    return loopResult(results);
  }

  private async runWithRetries(task: TaskNode, host: HostState, vars: Vars): Promise<TaskResult> {
    if (task.until === undefined) return this.runOnce(task, host, vars);
    const retries = keywordNumber(task.retries, vars) ?? 3;
    const delay = keywordNumber(task.delay, vars) ?? 5;
    let result: TaskResult = {};
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      result = await this.runOnce(task, host, vars);
      result.attempts = attempt;
      if (result.unreachable) return result;
      const seen = task.register ? this.env.scopes.withLayer(vars, unsafeLayer({ [task.register]: result })) : vars;
      if (this.test([task.until], seen, task, "until")) return result;
      if (attempt <= retries) {
        this.env.run.bus.emit({ type: "retry", host: host.name, title: task.name ?? task.action, retriesLeft: retries + 1 - attempt });
        if (this.env.run.interrupted) break;
        await sleep(delay * 1000, undefined, { signal: this.env.run.abort.signal }).catch(() => undefined);
      }
    }
    return { ...result, failed: true };
  }

  private async runOnce(task: TaskNode, host: HostState, vars: Vars): Promise<TaskResult> {
    const module = findModule(task.module);
    if (!module) throw new KplayError({ kind: "runtime", message: `no module named ${task.module}`, position: task.position });
    const args = moduleArgs(module, task, vars);
    const ctx = this.env.scopes.moduleContext(task, host, vars, this.env.run.abort.signal);
    let result: TaskResult;
    try {
      const timeout = keywordNumber(task.timeout, vars);
      result = await bounded(module.run(ctx, args) as Promise<TaskResult>, timeout ? timeout * 1000 : undefined, this.env.run.abort.signal, task);
    } catch (e) {
      if (isKplayError(e) && e.context.kind === "connection") {
        result = { changed: false, unreachable: true, msg: e.message };
      } else {
        throw e;
      }
    }
    this.keepFacts(module, host, result);
    if (task.changed_when !== undefined || task.failed_when !== undefined) {
      const seen = task.register ? this.env.scopes.withLayer(vars, unsafeLayer({ [task.register]: result })) : vars;
      if (task.changed_when !== undefined && !result.unreachable) result.changed = this.test(task.changed_when, seen, task, "changed_when");
      if (task.failed_when !== undefined && !result.unreachable) {
        result.failed = this.test(task.failed_when, seen, task, "failed_when");
        result.failed_when_result = result.failed;
      }
    }
    if (!ctx.diff) delete result.diff;
    return result;
  }

  /** setup adds facts; set_fact and include_vars set host variables at their precedence levels. */
  private keepFacts(module: ModuleDefinition<any>, host: HostState, result: TaskResult): void {
    const facts = result.ansible_facts as Record<string, unknown> | undefined;
    if (!facts || result.failed) return;
    if (module.name === "set_fact") Object.assign(host.setFacts, facts);
    else if (module.name === "include_vars") Object.assign(host.includedVars, facts);
    else host.facts = { ...host.facts, ...facts };
  }
}

/** How long past `timeout:` to wait for a module whose remote command the host is ending (TERM, then KILL 2 s later). */
const TIMEOUT_GRACE_MS = 5_000;

/**
 * Waits for the module. The host ends a command at the task's `timeout:` (the module context's
 * timeoutMs reaches every remote command), so the module comes back with its ended command; a
 * module that does not come back within the grace is abandoned. Either way the task timed out.
 * An interrupted run stops waiting at once.
 */
async function bounded(work: Promise<TaskResult>, timeoutMs: number | undefined, signal: AbortSignal, task: TaskNode): Promise<TaskResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let stopWaiting: (() => void) | undefined;
  const stops: Array<Promise<TaskResult>> = [
    new Promise((resolve) => {
      const interrupted = () => resolve({ changed: false, failed: true, msg: `interrupted: the run was stopped (${String(signal.reason)})` });
      if (signal.aborted) interrupted();
      else stopWaiting = onAbort(signal, interrupted);
    }),
  ];
  if (timeoutMs) stops.push(new Promise((resolve) => (timer = setTimeout(() => resolve({ changed: false, failed: true }), timeoutMs + TIMEOUT_GRACE_MS))));
  try {
    const result = await Promise.race([work, ...stops]);
    if (!timeoutMs || signal.aborted || !result.failed || performance.now() - started < timeoutMs) return result;
    return { ...result, failed: true, msg: timedOutMessage(task, timeoutMs) };
  } finally {
    clearTimeout(timer);
    stopWaiting?.();
  }
}

/** Says how long the task ran, then Ansible's wording (which users search logs for). */
function timedOutMessage(task: TaskNode, timeoutMs: number): string {
  const seconds = timeoutMs / 1000;
  return `task timed out after ${seconds} s: the ${task.action} action failed to execute in the expected time frame (${seconds}) and was terminated`;
}

/** Modules whose `ansible_facts` are variables (not facts) for the rest of the run. */
function isVariableModule(module: string): boolean {
  return module === "set_fact" || module === "include_vars";
}

function extendedLoopInfo(items: unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  return {
    allitems: items, index: i + 1, index0: i, revindex: n - i, revindex0: n - i - 1,
    first: i === 0, last: i === n - 1, length: n,
    ...(i > 0 ? { previtem: items[i - 1] } : {}), ...(i < n - 1 ? { nextitem: items[i + 1] } : {}),
  };
}
