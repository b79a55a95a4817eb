// The variables a task sees on a host, as layers in Ansible's precedence (lowest first):
//   role defaults (every role of the play, then the task's role) < inventory vars < facts
//   < play vars < vars_files < role vars (every role, then the task's) < block+task vars
//   < include_vars < set_fact/register < role params < include params < extra vars < magic vars.
// Layers are shared references, never copied per task; values render lazily when read.
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { KplayError } from "../errors.js";
import type { Vars } from "../expr/evaluator.js";
import { evaluateCondition, renderValue } from "../expr/render.js";
import type { LazyMapping } from "../expr/values.js";
import type { Play, RoleContext, TaskNode } from "../playbook/model.js";
import { isMapping } from "../playbook/normalize.js";
import { SourceFile } from "../playbook/source.js";
import { VariableScope, unsafeLayer, type VarLayer } from "../vars/scope.js";
import type { BecomeSpec, Connection } from "../connection/types.js";
import { renderTemplateFileByExtension } from "../template/index.js";
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

const EMPTY_LAYER: VarLayer = Object.freeze({});

/** A host's variables below and above the task's own, and the scope over them that its tasks share. */
interface HostScope {
  facts: Record<string, unknown>;
  /** Snapshots of host.includedVars and host.setFacts when the scope was built. */
  includedVars: VarLayer;
  setFacts: VarLayer;
  /** inventory vars, facts, play vars, vars_files, role vars: between role defaults and a task's role vars. */
  middle: VarLayer[];
  /** Every layer of `scope`. */
  layers: VarLayer[];
  scope: VariableScope;
}

/** True while `live` holds exactly the entries `snapshot` copied from it. */
function sameEntries(snapshot: VarLayer, live: Record<string, unknown>): boolean {
  let count = 0;
  for (const k in live) {
    if (snapshot[k] !== live[k] || !Object.hasOwn(snapshot, k)) return false;
    count++;
  }
  return count === Object.keys(snapshot).length;
}

function rolesOf(play: Play): RoleContext[] {
  const seen = new Set<RoleContext>();
  for (const block of play.roles) if (block.role) seen.add(block.role);
  return [...seen];
}

/** Read as the playbook's own files are: YAML 1.1, vault-encrypted files and `!vault` values decrypted. */
function loadVarsFile(path: string): VarLayer {
  const { file, errors } = SourceFile.read(path, "variable");
  if (!file) throw new KplayError({ ...errors[0], message: `vars_files: cannot load ${path}: ${errors[0].message}` });
  const data = file.value ?? {};
  if (!isMapping(data)) {
    throw new KplayError({ kind: "variable", message: `vars_files: cannot load ${path}: it must hold a mapping of variables`, position: file.position([]) });
  }
  return data;
}

export class PlayScopes {
  private readonly roleNames: string[];
  private readonly roleDefaults: VarLayer[];
  private readonly roleVars: VarLayer[];
  private readonly varsFiles: VarLayer[];
  private readonly magic = new Map<string, VarLayer>();
  /** ansible_play_hosts & co follow hosts failing during the play: no scope that outlives a task may cache them. */
  private readonly playHostsLayer: VarLayer;
  /** The inventory hands out a fresh copy per call; one per host per play is enough. */
  private readonly inventoryVars = new Map<string, VarLayer>();
  private readonly hostScopes = new Map<string, HostScope>();
  private readonly hostNames: ReadonlySet<string>;
  private groups?: Record<string, string[]>;
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
    this.hostNames = new Set(inventory.hostNames);
    this.hostvars = {
      lazyMapping: true,
      get: (name) => (this.hostNames.has(name) ? this.forHost(this.run.host(name)) : undefined),
      has: (name) => this.hostNames.has(name),
      keys: () => inventory.hostNames,
    };
    const activeOf = (hosts: string[]) => hosts.filter((h) => this.run.host(h).active);
    this.playHostsLayer = Object.defineProperties({}, {
      ansible_play_hosts: { enumerable: true, get: () => activeOf(this.playHosts) },
      play_hosts: { enumerable: true, get: () => activeOf(this.batch) },
      ansible_play_batch: { enumerable: true, get: () => activeOf(this.batch) },
    });
    // vars_files paths may use play vars and extra vars (not host vars: they load once per play).
    const playLevel = VariableScope.fromLayers([play.vars ?? EMPTY_LAYER, run.request.extraVars, this.magicFor(batch[0] ?? "localhost"), this.playHostsLayer]);
    this.varsFiles = play.vars_files.map((f) => {
      const name = String(renderValue(f, playLevel));
      return loadVarsFile(isAbsolute(name) ? name : join(play.playbookDir, name));
    });
  }

  /** Play-level variables of a host: what `hostvars[host]` shows. */
  forHost(host: HostState): VariableScope {
    const { layers, scope } = this.hostScope(host);
    return scope.derive([...layers, this.playHostsLayer]);
  }

  /**
   * Everything a task sees on `host`: the host's shared scope with the task's own layers put in at
   * their precedence, so values the task's layers cannot change render once per host, not per task.
   */
  forTask(host: HostState, task: TaskNode, includeParams?: Record<string, unknown>): VariableScope {
    const { includedVars, setFacts, middle, scope } = this.hostScope(host);
    const role = task.role;
    const layers: VarLayer[] = [...this.roleDefaults];
    if (role) layers.push(role.defaults);
    layers.push(...middle);
    if (role) layers.push(role.vars);
    if (task.vars) layers.push(task.vars);
    layers.push(includedVars, setFacts);
    if (role) layers.push(role.params, { role_name: role.name, role_path: role.path });
    if (includeParams) layers.push(includeParams);
    layers.push(this.run.request.extraVars, this.magicFor(host.name), this.playHostsLayer);
    return scope.derive(layers);
  }

  withLayer(vars: Vars, layer: Record<string, unknown>): Vars {
    return (vars as VariableScope).with(layer);
  }

  /** The host's layers (no task's), rebuilt only when its facts, included vars or set_facts changed. */
  private hostScope(host: HostState): HostScope {
    const cached = this.hostScopes.get(host.name);
    if (cached && cached.facts === host.facts && sameEntries(cached.includedVars, host.includedVars) && sameEntries(cached.setFacts, host.setFacts)) {
      return cached;
    }
    // Snapshots: these change as tasks run, and a scope's cache must not see a later value.
    // set_fact values were rendered when set and registered results are host output: never re-render them.
    const includedVars = { ...host.includedVars };
    const setFacts = unsafeLayer({ ...host.setFacts });
    const middle = [this.inventoryLayer(host.name), factsLayer(host.facts), this.play.vars ?? EMPTY_LAYER, ...this.varsFiles, ...this.roleVars];
    const layers = [...this.roleDefaults, ...middle, includedVars, setFacts, this.run.request.extraVars, this.magicFor(host.name)];
    const built = { facts: host.facts, includedVars, setFacts, middle, layers, scope: VariableScope.fromLayers(layers, { label: host.name }) };
    this.hostScopes.set(host.name, built);
    return built;
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
    layer = {
      inventory_hostname: name,
      inventory_hostname_short: name.split(".")[0],
      group_names: this.hostNames.has(name) ? inventory.groupNames(name) : [],
      groups: (this.groups ??= inventory.groupsMap()),
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
      renderTemplate: (localPath) => renderTemplateFileByExtension(localPath, scope),
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
    if (this.hostNames.has(delegate)) {
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
