// Finds which module a task calls and with which arguments, in every form Ansible accepts:
// `module: {k: v}`, `module: k=v free text`, `args:`, `action: module k=v`, `local_action:`.
import type { ErrorContext } from "../errors.js";
import type { ModuleDefinition } from "../../modules/types.js";
import { EXECUTOR_ACTIONS, findExecutorAction } from "./executor-actions.js";
import { parseKv } from "./parse-kv.js";
import type { SourceFile, ValuePath } from "./source.js";
import { closestName } from "./suggest.js";

/** Where the loader finds modules: the registry, or a test's own list. */
export interface ModuleCatalog {
  find(name: string): ModuleDefinition<any> | undefined;
  names(): string[];
}

export interface ModuleSpec {
  name: string;
  schema: ModuleDefinition["schema"];
  freeForm?: string;
  /** The module file's definition; absent for executor actions (include_tasks, meta, ...). */
  definition?: ModuleDefinition<any>;
}

export interface ResolvedAction {
  module: ModuleSpec;
  /** The module name as written (`ansible.builtin.debug`), what Ansible shows for an unnamed task. */
  written: string;
  args: Record<string, unknown>;
  /** Where the arguments are written, for positioning argument errors. */
  argsPath: ValuePath;
  /** `local_action` runs on the controller. */
  delegateTo?: string;
}

export function findModuleSpec(name: string, catalog: ModuleCatalog): ModuleSpec | undefined {
  const action = findExecutorAction(name);
  if (action) return action;
  const def = catalog.find(name) ?? catalog.find(name.replace(/^ansible\.legacy\./, "ansible.builtin."));
  return def && { name: def.name, schema: def.schema, freeForm: def.freeForm, definition: def };
}

type Fail = (message: string, path: ValuePath, hint?: string, key?: string) => void;

/** Turns what is written after the module name into an arguments mapping. */
function argumentsOf(module: ModuleSpec, value: unknown, path: ValuePath, fail: Fail): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value === "object" && !Array.isArray(value)) return { ...(value as Record<string, unknown>) };
  if (typeof value !== "string" && typeof value !== "number") {
    fail(`arguments of \`${module.name}\` must be a mapping or a \`k=v\` string, not a list`, path);
    return {};
  }
  const text = String(value);
  // Only command-like modules keep `k=v` words that are not their options as command text.
  const { options, raw } = parseKv(text, module.definition !== undefined && !!module.freeForm);
  if (raw === "") return options;
  if (!module.freeForm) {
    fail(`module \`${module.name}\` takes no free-form text (\`${raw}\`); write its arguments as k=v or a mapping`, path);
    return options;
  }
  return { ...options, [module.freeForm]: raw };
}

/** `action: copy src=a dest=b` or `action: {module: copy, src: a}`. */
function splitActionKeyword(value: unknown): { name?: string; rest: unknown } {
  if (typeof value === "string") {
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(value);
    return { name: match?.[1], rest: match?.[2] ?? "" };
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const { module, ...rest } = value as Record<string, unknown>;
    return { name: typeof module === "string" ? module : undefined, rest };
  }
  return { rest: undefined };
}

/**
 * @param candidates keys of the task that are not keywords: each must be a module.
 */
export function resolveAction(
  task: Record<string, unknown>,
  candidates: string[],
  keywords: readonly string[],
  file: SourceFile,
  at: ValuePath,
  catalog: ModuleCatalog,
): { action?: ResolvedAction; errors: ErrorContext[] } {
  const errors: ErrorContext[] = [];
  const fail: Fail = (message, path, hint, key) =>
    errors.push({ kind: "playbook", message, hint, position: key ? file.keyPosition(path, key) : file.position(path) });

  const found: Array<{ module: ModuleSpec; key: string; written: string; value: unknown; delegateTo?: string }> = [];
  const unknown: string[] = [];
  for (const key of candidates) {
    const module = findModuleSpec(key, catalog);
    if (module) found.push({ module, key, written: key, value: task[key] });
    else unknown.push(key);
  }
  const hasModule = found.length > 0 || "action" in task || "local_action" in task;
  const moduleNames = [...EXECUTOR_ACTIONS.map((a) => a.name), ...catalog.names().filter((n) => !n.includes("."))];
  for (const key of unknown) {
    const keyword = closestName(key, keywords);
    const moduleName = closestName(key, moduleNames);
    if (key === "include") fail("`include` was removed from Ansible; use `include_tasks` or `import_tasks`", at, undefined, key);
    else if (key === "import_playbook") fail("`import_playbook` belongs at the top level of a playbook, not among tasks", at, undefined, key);
    else if (keyword && (hasModule || !moduleName)) fail(`unknown keyword \`${key}\``, at, `did you mean \`${keyword}\`?`, key);
    else if (hasModule) fail(`unknown keyword \`${key}\``, at, undefined, key);
    else fail(`unknown module \`${key}\``, at, moduleName ? `did you mean \`${moduleName}\`?` : undefined, key);
  }
  for (const key of ["action", "local_action"] as const) {
    if (!(key in task)) continue;
    const { name, rest } = splitActionKeyword(task[key]);
    if (name === undefined) {
      fail(`\`${key}\` names no module`, [...at, key]);
      continue;
    }
    const module = findModuleSpec(name, catalog);
    if (!module) {
      const suggestion = closestName(name, moduleNames);
      fail(`unknown module \`${name}\``, [...at, key], suggestion && `did you mean \`${suggestion}\`?`);
      continue;
    }
    found.push({ module, key, written: name, value: rest, delegateTo: key === "local_action" ? "localhost" : undefined });
  }

  if (found.length > 1) {
    fail(`task calls more than one module: ${found.map((f) => `\`${f.key}\``).join(" and ")}`, at, "split it into one task per module");
  }
  if (found.length === 0) {
    if (errors.length === 0) fail("task has no module", at, "add a module such as `command:` or `debug:`");
    return { errors };
  }
  const { module, key, written, value, delegateTo } = found[0];
  const argsPath = [...at, key];
  const args = argumentsOf(module, value, argsPath, fail);
  const extra = task.args;
  // Arguments written with the module win over the `args:` keyword, as in Ansible.
  const merged = extra && typeof extra === "object" ? { ...(extra as Record<string, unknown>), ...args } : args;
  return { action: { module, written, args: merged, argsPath, delegateTo }, errors };
}
