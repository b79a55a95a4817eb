// Loads a playbook file into validated plays: imports and roles resolved, keywords inherited,
// module arguments checked. Every problem found is collected, each with its file:line:column.
import { existsSync, realpathSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ErrorContext, SourcePosition } from "../errors.js";
import { findModule, moduleNames } from "../../modules/registry.js";
import { inheritKeywords, withoutPositions, withoutVars } from "./inherit.js";
import type { BlockNode, CommonKeywords, Play, Playbook, PlayItem, RoleContext, TaskNode } from "./model.js";
import { checkActionArgs, checkModuleFileArgs, isTemplated } from "./module-args.js";
import { checkNotifications } from "./notify-check.js";
import { commonKeywords, conditionList, isMapping, stringList } from "./normalize.js";
import { findRoleDir, findRoleFile, rolesPathFromEnv, type RoleSearchOptions } from "./role-search.js";
import { parseRoleEntry, readRoleMeta, readRoleVars, roleEntryFromArgs, type RoleEntry } from "./role-files.js";
import { checkKeywords, keywordError, unknownKeys } from "./schema-check.js";
import { BLOCK_SCHEMA, keywordsOf, PLAY_SCHEMA, TASK_SCHEMA, UNSUPPORTED_KEYWORDS } from "./schemas.js";
import { SourceFile, type ValuePath } from "./source.js";
import { resolveAction, type ModuleCatalog, type ResolvedAction } from "./task-action.js";
import { findTaskFile } from "./task-files.js";

export interface LoadOptions {
  /** Modules tasks may call (default: kplay's registry). */
  modules?: ModuleCatalog;
  /** Extra role directories, searched last (default: KPLAY_ROLES_PATH). */
  rolesPath?: string[];
  /** Directory whose `roles/` is searched (default: process.cwd()). */
  cwd?: string;
}

export interface LoadResult {
  /** Present only when there are no errors. */
  playbook?: Playbook;
  errors: ErrorContext[];
}

export const registryCatalog: ModuleCatalog = { find: findModule, names: moduleNames };

const PLAY_KEYWORDS = keywordsOf(PLAY_SCHEMA);
const BLOCK_KEYWORDS = keywordsOf(BLOCK_SCHEMA);
const TASK_KEYWORDS = keywordsOf(TASK_SCHEMA);
const APPLY_KEYWORDS = BLOCK_KEYWORDS.filter((k) => !["block", "rescue", "always", "name"].includes(k));
const IMPORT_PLAYBOOK_KEYWORDS = ["import_playbook", "ansible.builtin.import_playbook", "name", "when", "tags", "vars"];
/** Keywords an import cannot honour, because it is replaced by its content at load time. */
const NOT_FOR_IMPORTS = ["loop", "register", "notify", "until", "changed_when", "failed_when", "listen"];

/** One play's worth of state: its handlers and the roles already added to it. */
interface PlayState {
  handlers: TaskNode[];
  rolesSeen: Set<string>;
}

/** Where a list of tasks sits: its file, what it inherits, and what it belongs to. */
interface Scope {
  file: SourceFile;
  inherited: CommonKeywords;
  role?: RoleContext;
  playbookDir: string;
  /** Task files being imported, outermost first: an import of one of them is a cycle. */
  fileStack: string[];
  /** Roles being loaded, for dependency cycles. */
  roleStack: string[];
  play: PlayState;
}

export class PlaybookLoader {
  readonly errors: ErrorContext[] = [];
  private readonly catalog: ModuleCatalog;
  private readonly rolesPath: string[];
  private readonly cwd: string;

  constructor(options: LoadOptions = {}) {
    this.catalog = options.modules ?? registryCatalog;
    this.rolesPath = options.rolesPath ?? rolesPathFromEnv(process.env);
    this.cwd = options.cwd ?? process.cwd();
  }

  private fail(file: SourceFile, at: ValuePath, message: string, hint?: string): void {
    this.errors.push({ kind: "playbook", message, hint, position: file.position(at) });
  }

  private read(path: string, from?: SourcePosition): SourceFile | undefined {
    const { file, errors } = SourceFile.read(path);
    this.errors.push(...errors.map((e) => (e.position || !from ? e : { ...e, position: from })));
    return file;
  }

  // ---- playbooks and plays ----

  /** Plays of one playbook file, `import_playbook` entries replaced by the plays they name. */
  loadPlaybookFile(path: string, stack: string[] = [], from?: SourcePosition, inherited: CommonKeywords = {}): Play[] {
    const real = realpathOr(path);
    if (stack.includes(real)) {
      this.errors.push({
        kind: "playbook",
        message: `import_playbook cycle: ${[...stack, real].join(" → ")}`,
        position: from,
      });
      return [];
    }
    const file = this.read(path, from);
    if (!file) return [];
    if (!Array.isArray(file.value)) {
      this.fail(file, [], "a playbook must be a list of plays");
      return [];
    }
    const plays: Play[] = [];
    file.value.forEach((entry, i) => {
      if (!isMapping(entry)) {
        this.fail(file, [i], "each entry of a playbook must be a play (a mapping with `hosts:`)");
      } else if ("import_playbook" in entry || "ansible.builtin.import_playbook" in entry) {
        plays.push(...this.importPlaybook(entry, file, [i], [...stack, real], inherited));
      } else {
        const play = this.loadPlay(entry, file, [i], inherited);
        if (play) plays.push(play);
      }
    });
    return plays;
  }

  private importPlaybook(
    entry: Record<string, unknown>,
    file: SourceFile,
    at: ValuePath,
    stack: string[],
    inherited: CommonKeywords,
  ): Play[] {
    this.errors.push(...unknownKeys(entry, file, at, IMPORT_PLAYBOOK_KEYWORDS, "an import_playbook"));
    const key = "import_playbook" in entry ? "import_playbook" : "ansible.builtin.import_playbook";
    const target = entry[key];
    if (typeof target !== "string" || isTemplated(target)) {
      this.fail(file, [...at, key], "`import_playbook` needs a literal file name");
      return [];
    }
    const own = commonKeywords({ when: entry.when, tags: entry.tags }, file, at);
    const keywords = inheritKeywords(inherited, withoutVars(own));
    const plays = this.loadPlaybookFile(resolve(dirname(file.path), target), stack, file.position([...at, key]), keywords);
    if (isMapping(entry.vars)) for (const play of plays) play.vars = { ...entry.vars, ...play.vars };
    return plays;
  }

  private loadPlay(raw: Record<string, unknown>, file: SourceFile, at: ValuePath, inherited: CommonKeywords): Play | undefined {
    const before = this.errors.length;
    if (!("hosts" in raw) && Object.keys(raw).some((k) => !PLAY_KEYWORDS.includes(k) && this.catalog.find(k))) {
      this.fail(file, at, "play has no `hosts`", "this looks like a task: put it under a play's `tasks:`");
      return undefined;
    }
    this.errors.push(...unknownKeys(raw, file, at, PLAY_KEYWORDS, "a play"));
    this.errors.push(...checkKeywords(PLAY_SCHEMA, raw, file, at, "play"));

    const own = commonKeywords(raw, file, at);
    const hostsWritten = Array.isArray(raw.hosts) ? raw.hosts.map(String) : [String(raw.hosts)];
    const playbookDir = dirname(resolve(file.path));
    const state: PlayState = { handlers: [], rolesSeen: new Set() };
    // Tags and conditions of an import_playbook reach every task; the play's own vars stay at play level.
    const passed = inheritKeywords(inherited, withoutVars(own));
    const scope: Scope = {
      file,
      inherited: passed,
      playbookDir,
      fileStack: [realpathOr(file.path)],
      roleStack: [],
      play: state,
    };
    const items = (list: string): PlayItem[] => this.loadItems(raw[list], [...at, list], scope);

    this.checkVarsFiles(raw.vars_files, file, [...at, "vars_files"], playbookDir);
    const pre_tasks = items("pre_tasks");
    const roles = this.loadPlayRoles(raw.roles, file, [...at, "roles"], scope);
    const tasks = items("tasks");
    const post_tasks = items("post_tasks");
    const handlers = this.flattenHandlers(items("handlers"));
    const serial = raw.serial === undefined || raw.serial === null ? undefined : Array.isArray(raw.serial) ? raw.serial : [raw.serial];
    if (this.errors.length > before) return undefined;
    const play: Play = {
      ...passed,
      vars: own.vars,
      positions: own.positions,
      name: raw.name === undefined || raw.name === null ? hostsWritten.join(",") : String(raw.name),
      hosts: hostsWritten.join(","),
      hostsWritten,
      gather_facts: raw.gather_facts === undefined ? true : (raw.gather_facts as boolean),
      serial: serial as Array<number | string> | undefined,
      strategy: (raw.strategy as Play["strategy"]) ?? "linear",
      order: raw.order as Play["order"],
      max_fail_percentage: raw.max_fail_percentage as number | undefined,
      force_handlers: raw.force_handlers as boolean | string | undefined,
      vars_files: stringList(raw.vars_files) ?? [],
      pre_tasks,
      roles,
      tasks,
      post_tasks,
      // Role handlers first, as Ansible compiles them.
      handlers: [...state.handlers, ...handlers],
      playbookDir,
      position: file.position(at),
    };
    const notifyErrors = checkNotifications(play);
    this.errors.push(...notifyErrors);
    return notifyErrors.length > 0 ? undefined : play;
  }

  /** Literal `vars_files` must exist (beside the playbook when relative); templated ones wait. */
  private checkVarsFiles(written: unknown, file: SourceFile, at: ValuePath, playbookDir: string): void {
    const names = stringList(written) ?? [];
    names.forEach((name, i) => {
      const path = resolve(playbookDir, name);
      if (isTemplated(name) || existsSync(path)) return;
      this.fail(file, Array.isArray(written) ? [...at, i] : at, `vars file ${name} not found`, `looked for ${path}`);
    });
  }

  // ---- task lists ----

  /** A list of tasks and blocks; anything but a list was already reported by the keyword schemas. */
  loadItems(list: unknown, at: ValuePath, scope: Scope): PlayItem[] {
    const out: PlayItem[] = [];
    (Array.isArray(list) ? list : []).forEach((raw, i) => {
      const path = [...at, i];
      if (!isMapping(raw)) {
        this.fail(scope.file, path, "a task must be a mapping (`- name: ...` with a module)");
      } else if ("block" in raw) {
        const block = this.loadBlock(raw, path, scope);
        if (block) out.push(block);
      } else if ("rescue" in raw || "always" in raw) {
        this.fail(scope.file, path, "`rescue` and `always` need a `block` beside them");
      } else {
        out.push(...this.loadTask(raw, path, scope));
      }
    });
    return out;
  }

  private loadBlock(raw: Record<string, unknown>, at: ValuePath, scope: Scope): BlockNode | undefined {
    const before = this.errors.length;
    this.errors.push(...unknownKeys(raw, scope.file, at, BLOCK_KEYWORDS, "a block"));
    this.errors.push(...checkKeywords(BLOCK_SCHEMA, raw, scope.file, at, "block"));
    const keywords = inheritKeywords(scope.inherited, commonKeywords(raw, scope.file, at));
    const inner = { ...scope, inherited: keywords };
    const list = (key: string) => this.loadItems(raw[key], [...at, key], inner);
    const block: BlockNode = {
      ...keywords,
      kind: "block",
      name: raw.name === undefined || raw.name === null ? undefined : String(raw.name),
      block: list("block"),
      rescue: list("rescue"),
      always: list("always"),
      role: scope.role,
      position: scope.file.position(at),
    };
    return this.errors.length > before ? undefined : block;
  }

  /** One task, or the tasks it imports. */
  private loadTask(raw: Record<string, unknown>, at: ValuePath, scope: Scope): PlayItem[] {
    const { file } = scope;
    const before = this.errors.length;
    const loopKeys = Object.keys(raw).filter((k) => k.startsWith("with_"));
    const candidates: string[] = [];
    for (const key of Object.keys(raw)) {
      if (TASK_KEYWORDS.includes(key) || loopKeys.includes(key)) continue;
      // Other keys name the module; resolveAction judges them.
      if (key in UNSUPPORTED_KEYWORDS) this.errors.push(keywordError(key, file, at, TASK_KEYWORDS, "a task"));
      else candidates.push(key);
    }
    if (loopKeys.length + ("loop" in raw ? 1 : 0) > 1) {
      this.fail(file, at, `a task can have only one loop, not ${[...loopKeys, ..."loop" in raw ? ["loop"] : []].join(" and ")}`);
    }
    this.errors.push(...checkKeywords(TASK_SCHEMA, raw, file, at, "task"));
    const { action, errors } = resolveAction(raw, candidates, TASK_KEYWORDS, file, at, this.catalog);
    this.errors.push(...errors);
    if (!action || this.errors.length > before) return [];

    const own = commonKeywords(raw, file, at);
    if (action.delegateTo && own.delegate_to === undefined) own.delegate_to = action.delegateTo;
    const module = action.module.name;
    if (module === "import_tasks" || module === "import_role") {
      const misplaced = [...NOT_FOR_IMPORTS, ...loopKeys].filter((k) => k in raw);
      if (misplaced.length > 0) {
        this.fail(file, at, `\`${module}\` cannot use ${misplaced.map((k) => `\`${k}\``).join(", ")}`,
          `use \`${module.replace("import", "include")}\`, which runs at run time`);
        return [];
      }
    }
    if (!this.checkArgs(action, file)) return [];
    if (module === "import_tasks") return this.importTasks(action, inheritKeywords(scope.inherited, own), at, scope);
    if (module === "import_role") return this.importRole(action, inheritKeywords(scope.inherited, own), at, scope);
    if (module === "include_tasks") this.checkIncludedFile(action, scope);
    if (module === "include_role") this.checkIncludedRole(action, scope);

    const loopKey = loopKeys[0];
    const task: TaskNode = {
      ...inheritKeywords(scope.inherited, own),
      kind: "task",
      name: raw.name === undefined || raw.name === null ? undefined : String(raw.name),
      module,
      action: action.written,
      args: action.args,
      register: raw.register as string | undefined,
      loop: loopKey ? raw[loopKey] : raw.loop,
      loop_with: loopKey?.slice("with_".length),
      loop_control: raw.loop_control as TaskNode["loop_control"],
      changed_when: conditionList(raw.changed_when),
      failed_when: conditionList(raw.failed_when),
      until: raw.until === undefined ? undefined : String(raw.until),
      retries: raw.retries as number | string | undefined,
      delay: raw.delay as number | string | undefined,
      notify: stringList(raw.notify),
      listen: stringList(raw.listen),
      role: scope.role,
      position: file.position(at),
    };
    if (module === "include_tasks" || module === "include_role") {
      // Included tasks inherit from the include's parents, not the include's own `when`/`tags`.
      task.includeParent = { ...scope.inherited, vars: { ...scope.inherited.vars, ...own.vars } };
    }
    return [dropUndefined(task)];
  }

  /** Checks literal arguments against the module's schema; false when they are wrong. */
  private checkArgs(action: ResolvedAction, file: SourceFile): boolean {
    const { module, args, argsPath } = action;
    const errors = module.definition
      ? checkModuleFileArgs(module.definition, args, file, argsPath)
      : checkActionArgs(module.name, module.schema, args, file, argsPath);
    if (isMapping(args.apply)) {
      // `apply:` hands block keywords to the included tasks.
      const at = [...argsPath, "apply"];
      errors.push(...unknownKeys(args.apply, file, at, APPLY_KEYWORDS, "an include's `apply`"));
      errors.push(...checkKeywords(BLOCK_SCHEMA, args.apply, file, at, "apply"));
    }
    this.errors.push(...errors);
    return errors.length === 0;
  }

  private importTasks(action: ResolvedAction, keywords: CommonKeywords, at: ValuePath, scope: Scope): PlayItem[] {
    const name = action.args.file as string;
    if (isTemplated(name)) {
      this.fail(scope.file, action.argsPath, "`import_tasks` needs a literal file name", "use `include_tasks` for a file name with variables");
      return [];
    }
    const found = this.findTaskFileOrFail(name, action.argsPath, scope);
    if (!found) return [];
    if (scope.fileStack.includes(found)) {
      this.fail(scope.file, action.argsPath, `import_tasks cycle: ${[...scope.fileStack, found].join(" → ")}`);
      return [];
    }
    return this.loadTaskFile(found, { ...scope, inherited: keywords }, scope.file.position(at));
  }

  /** The tasks of a whole file, loaded in `scope` (its inherited keywords, role and play). */
  private loadTaskFile(path: string, scope: Scope, from: SourcePosition): PlayItem[] {
    const file = this.read(path, from);
    if (!file) return [];
    if (file.value !== null && !Array.isArray(file.value)) {
      this.fail(file, [], "a task file must be a list of tasks");
      return [];
    }
    return this.loadItems(file.value, [], { ...scope, file, fileStack: [...scope.fileStack, realpathOr(path)] });
  }

  private findTaskFileOrFail(name: string, at: ValuePath, scope: Scope): string | undefined {
    const { path, searched } = findTaskFile(name, scope.file.path, scope.role?.path, scope.playbookDir);
    if (!path) this.fail(scope.file, at, `task file ${name} not found`, `searched: ${searched.join(", ")}`);
    return path && realpathOr(path);
  }

  /** A literal include is loaded once now, so its mistakes are reported before anything runs. */
  private checkIncludedFile(action: ResolvedAction, scope: Scope): void {
    const name = action.args.file as string;
    if (isTemplated(name)) return;
    const found = this.findTaskFileOrFail(name, action.argsPath, scope);
    // A file including itself is legitimate at run time (recursion with a condition).
    if (found && !scope.fileStack.includes(found)) this.loadTaskFile(found, scope, scope.file.position(action.argsPath));
  }

  private checkIncludedRole(action: ResolvedAction, scope: Scope): void {
    if (isTemplated(action.args.name)) return;
    const trial: Scope = { ...scope, play: { handlers: [], rolesSeen: new Set() } };
    this.loadRole(roleEntryFromArgs(action.args, scope.file.position(action.argsPath)), trial, false);
  }

  /**
   * Run-time expansion of an `include_tasks` / `include_role` task whose arguments the executor
   * has templated for one host. Errors are in `this.errors`.
   */
  expandInclude(task: TaskNode, args: Record<string, unknown>, playbookDir: string): { items: PlayItem[]; handlers: TaskNode[] } {
    // Only the path matters: every loaded file brings its own SourceFile.
    const file = SourceFile.parse(task.position.file, "[]").file!;
    const apply = isMapping(args.apply) ? withoutPositions(commonKeywords(args.apply, file, [])) : {};
    const scope: Scope = {
      file,
      inherited: inheritKeywords(task.includeParent ?? {}, apply),
      role: task.role,
      playbookDir,
      fileStack: [],
      roleStack: [],
      play: { handlers: [], rolesSeen: new Set() },
    };
    if (task.module === "include_role") {
      const items = this.loadRole(roleEntryFromArgs(args, task.position), scope, false);
      return { items, handlers: scope.play.handlers };
    }
    const name = String(args.file);
    const { path, searched } = findTaskFile(name, task.position.file, task.role?.path, playbookDir);
    if (!path) {
      this.errors.push({ kind: "playbook", message: `task file ${name} not found`, hint: `searched: ${searched.join(", ")}`, position: task.position });
      return { items: [], handlers: [] };
    }
    return { items: this.loadTaskFile(path, scope, task.position), handlers: [] };
  }

  private flattenHandlers(items: PlayItem[]): TaskNode[] {
    return items.flatMap((item): TaskNode[] => {
      if (item.kind === "task") return [item];
      if (item.rescue.length > 0 || item.always.length > 0) {
        this.errors.push({ kind: "playbook", message: "handlers cannot use `rescue` or `always`", position: item.position });
      }
      return this.flattenHandlers(item.block);
    });
  }

  // ---- roles ----

  private loadPlayRoles(list: unknown, file: SourceFile, at: ValuePath, scope: Scope): BlockNode[] {
    if (!Array.isArray(list)) return [];
    return list.flatMap((written, i) => {
      const { entry, errors } = parseRoleEntry(written, file, [...at, i]);
      this.errors.push(...errors);
      return entry ? this.loadRole(entry, scope, true) : [];
    });
  }

  private findRoleOrFail(name: string, position: SourcePosition, playbookDir: string): string | undefined {
    const options: RoleSearchOptions = { playbookDir, cwd: this.cwd, rolesPath: this.rolesPath };
    const { path, searched } = findRoleDir(name, options);
    if (!path) {
      this.errors.push({
        kind: "playbook",
        message: `role \`${name}\` not found`,
        hint: `searched: ${searched.join(", ")}`,
        position,
      });
    }
    return path && realpathOr(path);
  }

  /**
   * A role as blocks: its meta dependencies first, then its own tasks. With `dedupe` (the play's
   * `roles:` and their dependencies), a role already added with the same parameters is skipped,
   * as Ansible does unless the role allows duplicates.
   */
  private loadRole(entry: RoleEntry, scope: Scope, dedupe: boolean): BlockNode[] {
    const path = this.findRoleOrFail(entry.name, entry.position, scope.playbookDir);
    if (!path) return [];
    if (scope.roleStack.includes(path)) {
      this.errors.push({
        kind: "playbook",
        message: `role dependency cycle: ${[...scope.roleStack, path].join(" → ")}`,
        position: entry.position,
      });
      return [];
    }
    const { meta, errors } = readRoleMeta(path);
    this.errors.push(...errors);
    const identity = `${path}\0${JSON.stringify(entry.params)}\0${entry.tasksFrom ?? "main"}`;
    if (dedupe && meta.allowDuplicates !== true) {
      if (scope.play.rolesSeen.has(identity)) return [];
      scope.play.rolesSeen.add(identity);
    }
    const keywords = inheritKeywords(scope.inherited, withoutVars(entry.keywords));
    const roleScope: Scope = { ...scope, inherited: keywords, roleStack: [...scope.roleStack, path] };
    const dependencies = meta.dependencies.flatMap((dep) => this.loadRole(dep, { ...roleScope, playbookDir: scope.playbookDir }, true));

    const defaults = readRoleVars(path, "defaults", entry.defaultsFrom ?? "main", entry.position);
    const vars = readRoleVars(path, "vars", entry.varsFrom ?? "main", entry.position);
    this.errors.push(...defaults.errors, ...vars.errors);
    const role: RoleContext = {
      name: entry.name,
      path,
      defaults: defaults.vars,
      // Entry `vars:` (`- role: x` + `vars:`) sit with the role's own vars.
      vars: { ...vars.vars, ...entry.keywords.vars },
      params: entry.params,
    };
    const inner: Scope = { ...roleScope, role };
    const tasksFile = findRoleFile(path, "tasks", entry.tasksFrom ?? "main");
    if (!tasksFile && entry.tasksFrom) {
      this.errors.push({ kind: "playbook", message: `tasks/${entry.tasksFrom} not found in role ${path}`, position: entry.position });
    }
    const tasks = tasksFile ? this.loadTaskFile(tasksFile, inner, entry.position) : [];
    const handlersFile = findRoleFile(path, "handlers", entry.handlersFrom ?? "main");
    if (handlersFile) {
      const handlers = this.loadTaskFile(handlersFile, inner, entry.position);
      scope.play.handlers.push(...this.flattenHandlers(handlers));
    }
    const block: BlockNode = {
      ...keywords,
      kind: "block",
      name: entry.name,
      block: tasks,
      rescue: [],
      always: [],
      role,
      position: entry.position,
    };
    return [...dependencies, block];
  }

  private importRole(action: ResolvedAction, keywords: CommonKeywords, at: ValuePath, scope: Scope): PlayItem[] {
    if (isTemplated(action.args.name)) {
      this.fail(scope.file, action.argsPath, "`import_role` needs a literal role name", "use `include_role` for a name with variables");
      return [];
    }
    return this.loadRole(roleEntryFromArgs(action.args, scope.file.position(at)), { ...scope, inherited: keywords }, false);
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Loads and validates a playbook; `playbook` is set only when no error was found. */
export function loadPlaybook(path: string, options: LoadOptions = {}): LoadResult {
  const loader = new PlaybookLoader(options);
  const plays = loader.loadPlaybookFile(path);
  return loader.errors.length > 0 ? { errors: loader.errors } : { playbook: { path, plays }, errors: [] };
}

/**
 * For the executor: the tasks an `include_tasks`/`include_role` task brings in for one host, its
 * arguments already templated. Role handlers come back separately to be added to the play's.
 */
export function expandInclude(
  task: TaskNode,
  args: Record<string, unknown>,
  playbookDir: string,
  options: LoadOptions = {},
): { items: PlayItem[]; handlers: TaskNode[]; errors: ErrorContext[] } {
  const loader = new PlaybookLoader(options);
  const { items, handlers } = loader.expandInclude(task, args, playbookDir);
  return { items, handlers, errors: loader.errors };
}
