// Stable identities and definition fingerprints of the tasks a run will meet. An id survives a
// re-run of the same playbooks: play number, role, file:line:column (relative to the first
// playbook's directory), and for included tasks the include path that brought them in.
import { createHash } from "node:crypto";
import { isAbsolute, relative } from "node:path";
import type { Play, PlayItem, Playbook, TaskNode } from "../playbook/model.js";
import type { TaskDefinition } from "./format.js";

/** Where a dynamically included task list came from: the include chain, rooted at a static task. */
export interface IncludeScope {
  path: string;
  root: string;
}

export function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value) ?? "").digest("base64url").slice(0, 16);
}

/** The task without what locates it (position, role) or repeats its parents (includeParent). */
export function definitionOf(task: TaskNode): string {
  const { position: _p, positions: _ps, role: _r, includeParent: _i, ...own } = task;
  return fingerprint(own);
}

export class TaskTable {
  /** Every static task (and each play's fact gathering), by id. */
  readonly byId = new Map<string, TaskDefinition>();
  private readonly ids = new WeakMap<TaskNode, string>();
  private readonly plays = new Map<Play, string>();
  private readonly dynamic = new WeakMap<TaskNode, { def: string; ids: Map<string, string> }>();
  private readonly relativePaths = new Map<string, string>();

  constructor(
    playbooks: readonly Playbook[],
    /** Task files are named relative to it. */
    readonly baseDir: string,
  ) {
    let at = 0;
    const add = (id: string, def: string, title: string) => this.byId.set(id, { def, at: at++, title });
    playbooks.forEach((playbook, b) =>
      playbook.plays.forEach((play, p) => {
        const playId = `${b}.${p}`;
        this.plays.set(play, playId);
        add(gatherId(playId), "", "Gathering Facts");
        const walk = (items: readonly PlayItem[]): void => {
          for (const item of items) {
            if (item.kind === "block") {
              walk(item.block);
              walk(item.rescue);
              walk(item.always);
            } else if (!this.ids.has(item)) {
              const id = this.staticId(playId, item);
              this.ids.set(item, id);
              // The same role twice in a play gives the same id: its executions are counted instead.
              if (!this.byId.has(id)) add(id, definitionOf(item), titleOf(item));
            }
          }
        };
        for (const section of [play.pre_tasks, play.roles, play.tasks, play.post_tasks, play.handlers]) walk(section);
      }),
    );
  }

  /** The task's id (and the static root it came from, for included tasks) in `play`. */
  idOf(play: Play, task: TaskNode, scope: IncludeScope | undefined): { id: string; root?: string } {
    const known = this.ids.get(task);
    if (known !== undefined) return { id: known };
    const playId = this.plays.get(play) ?? "?";
    // Ansible's implicit fact gathering is a new task node for every batch.
    if (task.action === "gather_facts" && scope === undefined) return { id: gatherId(playId) };
    let cache = this.dynamic.get(task);
    if (!cache) this.dynamic.set(task, (cache = { def: definitionOf(task), ids: new Map() }));
    const key = scope?.path ?? "";
    let id = cache.ids.get(key);
    if (id === undefined) cache.ids.set(key, (id = `${scope ? `${scope.path} > ` : ""}${this.staticId(playId, task)}`));
    return scope ? { id, root: scope.root } : { id };
  }

  /** The current definition fingerprint of a task met during the run. */
  definition(task: TaskNode, id: string): string {
    return this.byId.get(id)?.def ?? this.dynamic.get(task)?.def ?? definitionOf(task);
  }

  /** The scope of the tasks an include brought in (a file, or a role's name) with these params. */
  includeScope(parent: IncludeScope | undefined, includeId: { id: string; root?: string }, file: string, params: unknown): IncludeScope {
    const path = `${includeId.id}(${fingerprint([isAbsolute(file) ? relative(this.baseDir, file) : file, params])})`;
    return { path, root: parent?.root ?? includeId.root ?? includeId.id };
  }

  private staticId(playId: string, task: TaskNode): string {
    const { file, line, column } = task.position;
    let rel = this.relativePaths.get(file);
    if (rel === undefined) this.relativePaths.set(file, (rel = relative(this.baseDir, file)));
    return `${playId} ${task.role ? `${task.role.name} ` : ""}${rel}:${line}:${column}`;
  }
}

function gatherId(playId: string): string {
  return `${playId} gather_facts`;
}

function titleOf(task: TaskNode): string {
  const name = task.name ?? task.action;
  return task.role ? `${task.role.name} : ${name}` : name;
}
