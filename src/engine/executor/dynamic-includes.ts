// include_tasks / include_role at run time: each host templates the file or role name (and may
// loop); hosts that include the same thing with the same arguments then run it together.
import type { Vars } from "../expr/evaluator.js";
import { evaluateCondition, renderValue } from "../expr/render.js";
import { formatError } from "../errors.js";
import { expandInclude } from "../playbook/loader.js";
import { findTaskFile } from "../playbook/task-files.js";
import type { Play, PlayItem, TaskNode } from "../playbook/model.js";
import type { HostState } from "./host-state.js";
import { loopItems } from "./loop-items.js";
import { stripOmitted } from "./omit.js";
import { skippedResult, type TaskResult } from "./results.js";
import type { PlayScopes } from "./scope.js";

export interface IncludeGroup {
  /** The included file's path, or the role's name. */
  file: string;
  /** The loop item that brought it in (shown as `=> (item=...)`), when the include loops. */
  label?: unknown;
  items: PlayItem[];
  /** Variables the included tasks see at the include-params level (loop item, include vars). */
  params: Record<string, unknown>;
  hosts: HostState[];
}

type Expansion = ReturnType<typeof expandInclude> & { shown: string };

export class DynamicIncludes {
  private readonly groups = new Map<TaskNode, Map<string, IncludeGroup>>();
  private readonly expansions = new Map<string, Expansion>();

  constructor(
    private readonly play: Play,
    /** Role handlers brought in by include_role join the play's handlers. */
    private readonly addHandlers: (handlers: TaskNode[]) => void,
  ) {}

  /** Works out what `task` includes on `host`; the include's own result is returned. */
  async resolve(task: TaskNode, host: HostState, vars: Vars, scopes: PlayScopes): Promise<TaskResult> {
    const when = (v: Vars) => !task.when?.length || evaluateCondition(task.when, v, { position: task.positions?.when ?? task.position });
    try {
      const loopVar = task.loop_control?.loop_var ?? "item";
      const items = task.loop === undefined ? [undefined] : loopItems(renderValue(task.loop, vars), task.loop_with, task.name ?? task.action);
      let included = 0;
      for (const item of items) {
        const itemLayer = task.loop === undefined ? {} : { [loopVar]: item, ansible_loop_var: loopVar };
        const itemVars = task.loop === undefined ? vars : scopes.withLayer(vars, itemLayer);
        if (!when(itemVars)) continue;
        const args = stripOmitted(renderValue(task.args, itemVars)) as Record<string, unknown>;
        const expansion = this.expand(task, args);
        if (expansion.errors.length > 0) {
          return { changed: false, failed: true, msg: expansion.errors.map(formatError).join("\n") };
        }
        const params = { ...(task.vars ?? {}), ...itemLayer };
        const label = task.loop === undefined ? undefined : task.loop_control?.label !== undefined ? renderValue(task.loop_control.label, itemVars) : item;
        this.record(task, { file: expansion.shown, ...(label !== undefined ? { label } : {}), items: expansion.items, params, hosts: [host] });
        included++;
      }
      // Ansible counts each included file as one ok task (include_role counts nothing).
      return included === 0 ? skippedResult() : { changed: false, _included: task.module === "include_tasks" ? included : 0 };
    } catch (e) {
      return { changed: false, failed: true, msg: (e as Error).message };
    }
  }

  /** The groups recorded for `task` among `hosts`, in the order first seen; forgotten afterwards. */
  take(task: TaskNode, hosts: HostState[]): IncludeGroup[] {
    const groups = this.groups.get(task);
    if (!groups) return [];
    const wanted = new Set(hosts);
    const out: IncludeGroup[] = [];
    for (const [key, g] of groups) {
      const mine = g.hosts.filter((h) => wanted.has(h));
      if (mine.length === 0) continue;
      out.push({ ...g, hosts: mine });
      g.hosts = g.hosts.filter((h) => !wanted.has(h));
      if (g.hosts.length === 0) groups.delete(key);
    }
    if (groups.size === 0) this.groups.delete(task);
    return out;
  }

  private expand(task: TaskNode, args: Record<string, unknown>): Expansion {
    const key = `${task.position.file}:${task.position.line}:${task.position.column}\0${JSON.stringify(args)}`;
    let expansion = this.expansions.get(key);
    if (!expansion) {
      const shown =
        task.module === "include_role"
          ? String(args.name)
          : (findTaskFile(String(args.file), task.position.file, task.role?.path, this.play.playbookDir).path ?? String(args.file));
      expansion = { ...expandInclude(task, args, this.play.playbookDir), shown };
      this.expansions.set(key, expansion);
      this.addHandlers(expansion.handlers);
    }
    return expansion;
  }

  private record(task: TaskNode, group: IncludeGroup): void {
    let groups = this.groups.get(task);
    if (!groups) this.groups.set(task, (groups = new Map()));
    const key = `${group.file}\0${JSON.stringify(group.params)}\0${JSON.stringify(group.label)}`;
    const existing = groups.get(key);
    if (existing) existing.hosts.push(...group.hosts);
    else groups.set(key, group);
  }
}
