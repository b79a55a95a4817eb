// The variables a task sees on a host, as layers in Ansible's precedence (lowest first):
//   role defaults (every role of the play, then the task's role) < inventory vars < facts
//   < play vars < vars_files < role vars (every role, then the task's) < block+task vars
//   < include_vars < set_fact/register < role params < include params < extra vars < magic vars.
// Layers are shared references, never copied per task; values render lazily when read.
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { KplayError } from "../errors.js";
import type { Vars } from "../expr/evaluator.js";
import { evaluateCondition, renderValue } from "../expr/render.js";
import type { LazyMapping } from "../expr/values.js";
import type { Play, RoleContext, TaskNode } from "../playbook/model.js";
import { VariableScope, unsafeLayer, type VarLayer } from "../vars/scope.js";
import type { BecomeSpec, Connection } from "../connection/types.js";
import { renderTemplateFile } from "../template/index.js";
import type { ModuleContext } from "../../modules/types.js";
import type { HostState } from "./host-state.js";
import { keywordBool, keywordNumber, keywordString } from "./keywords.js";
import type { RunContext } from "./run-context.js";

const LOCALHOST = new Set(["localhost", "127.0.0.1", "::1"]);

/** ansible_facts plus the `ansible_*` names Ansible also exposes them under; one per facts object. */
const factLayers = new WeakMap<Record<string, unknown>, VarLayer>();
function factsLayer(facts: Record<string, unknown>): VarLayer {
  let layer = factLayers.get(facts);
  if (!layer) {
    const out: Record<string, unknown> = { ansible_facts: facts };
    for (const [k, v] of Object.entries(facts)) out[`ansible_${k}`] = v;
    factLayers.set(facts, (layer = unsafeLayer(out)));
  }
  return layer;
}

function rolesOf(play: Play): RoleContext[] {
  const seen = new Set<RoleContext>();
  for (const block of play.roles) if (block.role) seen.add(block.role);
  return [...seen];
}

function loadVarsFile(path: string): VarLayer {
  try {
    const data = parse(readFileSync(path, "utf8")) ?? {};
    if (typeof data !== "object" || Array.isArray(data)) throw new Error("it must hold a mapping of variables");
    return data as VarLayer;
  } catch (e) {
    throw new KplayError({ kind: "variable", message: `vars_files: cannot load ${path}: ${(e as Error).message}` });
  }
}

export class PlayScopes {
  private readonly roleNames: string[];
  private readonly roleDefaults: VarLayer[];
  private readonly roleVars: VarLayer[];
  private readonly varsFiles: VarLayer[];
  private readonly magic = new Map<string, VarLayer>();
  /** The inventory hands out a fresh copy per call; one per host per play is enough. */
  private readonly inventoryVars = new Map<string, VarLayer>();
  private readonly hostvars: LazyMapping;

  constructor(
    private readonly run: RunContext,
    private readonly play: Play,
    /** Every host of the play (ansible_play_hosts_all). */
    private readonly playHosts: string[],
    /** This batch (ansible_play_batch). */
    private readonly batch: string[],
  ) {
    const roles = rolesOf(play);
    this.roleNames = [...new Set(roles.map((r) => r.name))];
    this.roleDefaults = roles.map((r) => r.defaults);
    this.roleVars = roles.map((r) => r.vars);
    const inventory = run.request.inventory;
    this.hostvars = {
      lazyMapping: true,
      get: (name) => (inventory.hostNames.includes(name) ? this.forHost(this.run.host(name)) : undefined),
      has: (name) => inventory.hostNames.includes(name),
      keys: () => inventory.hostNames,
    };
    // vars_files paths may use play vars and extra vars (not host vars: they load once per play).
    const playLevel = VariableScope.fromLayers([play.vars ?? {}, run.request.extraVars, this.magicFor(batch[0] ?? "localhost")]);
    this.varsFiles = play.vars_files.map((f) => {
      const name = String(renderValue(f, playLevel));
      return loadVarsFile(isAbsolute(name) ? name : join(play.playbookDir, name));
    });
  }

  /** Play-level variables of a host: what `hostvars[host]` shows. */
  forHost(host: HostState): VariableScope {
    return VariableScope.fromLayers(this.layers(host), { label: host.name });
  }

  /** Everything a task sees on `host`. */
  forTask(host: HostState, task: TaskNode, includeParams?: Record<string, unknown>): VariableScope {
    return VariableScope.fromLayers(this.layers(host, task, includeParams), { label: host.name });
  }

  withLayer(vars: Vars, layer: Record<string, unknown>): Vars {
    return (vars as VariableScope).with(layer);
  }

  private layers(host: HostState, task?: TaskNode, includeParams?: Record<string, unknown>): VarLayer[] {
    const role = task?.role;
    const layers: VarLayer[] = [...this.roleDefaults];
    if (role) layers.push(role.defaults);
    layers.push(this.inventoryLayer(host.name), factsLayer(host.facts), this.play.vars ?? {}, ...this.varsFiles, ...this.roleVars);
    if (role) layers.push(role.vars);
    if (task?.vars) layers.push(task.vars);
    // Snapshots: these change as tasks run, and a scope's cache must not see a later value.
    // set_fact values were rendered when set and registered results are host output: never re-render them.
    layers.push({ ...host.includedVars }, unsafeLayer({ ...host.setFacts }));
    if (role) layers.push(role.params, { role_name: role.name, role_path: role.path });
    if (includeParams) layers.push(includeParams);
    layers.push(this.run.request.extraVars, this.magicFor(host.name));
    return layers;
  }

  private inventoryLayer(name: string): VarLayer {
    let layer = this.inventoryVars.get(name);
    if (!layer) this.inventoryVars.set(name, (layer = this.run.request.inventory.hostVars(name)));
    return layer;
  }

  private magicFor(name: string): VarLayer {
    let layer = this.magic.get(name);
    if (layer) return layer;
    const { request } = this.run;
    const inventory = request.inventory;
    const activeOf = (hosts: string[]) => hosts.filter((h) => this.run.host(h).active);
    layer = {
      inventory_hostname: name,
      inventory_hostname_short: name.split(".")[0],
      group_names: inventory.hostNames.includes(name) ? inventory.groupNames(name) : [],
      groups: inventory.groupsMap(),
      hostvars: this.hostvars,
      ansible_play_hosts_all: this.playHosts,
      ansible_check_mode: request.check,
      ansible_diff_mode: request.diff,
      ansible_verbosity: request.output.verbosity,
      ansible_forks: request.forks,
      ansible_run_tags: request.tags.length > 0 ? request.tags : ["all"],
      ansible_skip_tags: request.skipTags,
      ansible_limit: request.limit ?? "",
      ansible_inventory_sources: request.inventorySources,
      ansible_play_name: this.play.name,
      role_names: this.roleNames,
      ansible_play_role_names: this.roleNames,
      playbook_dir: this.play.playbookDir,
    };
    // These follow hosts failing during the play, so they are read when used.
    Object.defineProperty(layer, "ansible_play_hosts", { enumerable: true, get: () => activeOf(this.playHosts) });
    Object.defineProperty(layer, "play_hosts", { enumerable: true, get: () => activeOf(this.batch) });
    Object.defineProperty(layer, "ansible_play_batch", { enumerable: true, get: () => activeOf(this.batch) });
    this.magic.set(name, layer);
    return layer;
  }

  /** A task's `when` on a host, outside a loop (meta tasks). */
  conditionHolds(task: TaskNode, host: HostState, includeParams?: Record<string, unknown>): boolean {
    if (!task.when || task.when.length === 0) return true;
    return evaluateCondition(task.when, this.forTask(host, task, includeParams), { position: task.positions?.when ?? task.position });
  }

  delegateName(task: TaskNode, vars: Vars): string | undefined {
    return keywordString(task.delegate_to, vars);
  }

  /** What a module gets to work with on this host for this task. */
  moduleContext(task: TaskNode, host: HostState, vars: Vars, signal: AbortSignal): ModuleContext {
    const scope = vars as VariableScope;
    const { request } = this.run;
    const check = keywordBool(task.check_mode, vars) ?? request.check;
    const diff = keywordBool(task.diff, vars) ?? request.diff;
    const timeout = keywordNumber(task.timeout, vars);
    const deadline = timeout ? performance.now() + timeout * 1000 : undefined;
    const env = task.environment === undefined ? undefined : renderValue(task.environment, vars);
    const become = this.becomeFor(task, vars);
    const connection = () => this.connectionFor(task, host, vars);
    let conn: Connection | undefined;
    let record: Record<string, unknown> | undefined;
    const role = task.role;
    const playbookDir = this.play.playbookDir;
    return {
      host: host.name,
      // Resolved on first use, so controller-only modules never open a connection.
      get conn() {
        return (conn ??= connection());
      },
      check,
      diff,
      ...(become ? { become } : {}),
      facts: host.facts,
      get vars() {
        return (record ??= scope.toObject());
      },
      findFile(path, kind) {
        if (isAbsolute(path)) return path;
        const candidates = [
          ...(role ? [join(role.path, kind, path), join(role.path, path)] : []),
          join(playbookDir, kind, path),
          join(playbookDir, path),
        ];
        return candidates.find((c) => existsSync(c)) ?? resolve(candidates[0]);
      },
      renderTemplate: (localPath) => renderTemplateFile(localPath, scope),
      ...(env !== undefined && env !== null ? { env: stringValues(env) } : {}),
      // Counts down from the task's `timeout:`, so each remote command gets only the time left.
      get timeoutMs() {
        return deadline === undefined ? undefined : Math.max(1, Math.ceil(deadline - performance.now()));
      },
      signal,
    };
  }

  /** Variables beat keywords, keywords beat -b/--become-user (Ansible's order). */
  private becomeFor(task: TaskNode, vars: Vars): BecomeSpec | undefined {
    const { become } = this.run.request;
    const enabled = keywordBool(var_(vars, "ansible_become") as string | boolean | undefined, vars) ?? keywordBool(task.become, vars) ?? become.enabled;
    if (!enabled) return undefined;
    const user = keywordString(var_(vars, "ansible_become_user") as string | undefined, vars) ?? keywordString(task.become_user, vars) ?? become.user ?? "root";
    const password = keywordString((var_(vars, "ansible_become_password") ?? var_(vars, "ansible_become_pass")) as string | undefined, vars) ?? become.password;
    return { user, ...(password !== undefined ? { password } : {}) };
  }

  private connectionFor(task: TaskNode, host: HostState, vars: Vars): Connection {
    const keywords = { ...(task.remote_user ? { remote_user: task.remote_user } : {}), ...(task.connection ? { connection: task.connection } : {}) };
    const delegate = this.delegateName(task, vars);
    if (delegate === undefined || delegate === host.name) return this.run.connections.forHost(host.name, vars, keywords);
    if (this.run.request.inventory.hostNames.includes(delegate)) {
      return this.run.connections.forHost(delegate, this.forHost(this.run.host(delegate)));
    }
    if (LOCALHOST.has(delegate)) return this.run.connections.forHost(delegate, { ansible_connection: "local" });
    return this.run.connections.forHost(delegate, { ansible_host: delegate }, keywords);
  }
}

function var_(vars: Vars, name: string): unknown {
  return (vars as VariableScope).get(name);
}

function stringValues(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (env && typeof env === "object") for (const [k, v] of Object.entries(env)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}
