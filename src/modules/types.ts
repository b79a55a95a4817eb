// The contract every task module follows (pyinfra's shape): probe the host, plan by comparing
// with the wanted state, apply only what converges. Check mode stops after the plan.
import type { BecomeSpec, Connection } from "../engine/connection/types.js";

export type JsonSchema = Record<string, unknown>;

export interface FileDiff {
  before: string;
  after: string;
  beforeHeader?: string;
  afterHeader?: string;
}

export interface ModuleResult {
  changed: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: string;
  /** Before/after texts shown under --diff. */
  diff?: FileDiff[];
  /** Module-specific return values, visible through `register`. */
  [key: string]: unknown;
}

export interface ModuleContext {
  /** inventory_hostname of the host the task runs for. */
  host: string;
  /** The link to the host the task runs on (differs from `host` under delegate_to). */
  conn: Connection;
  check: boolean;
  diff: boolean;
  become?: BecomeSpec;
  /** Facts gathered for the target (ansible_facts), empty when gather_facts is off. */
  facts: Record<string, unknown>;
  /** All variables visible to the task, already resolved; for templates and set_fact. */
  vars: Readonly<Record<string, unknown>>;
  /** Finds a file the way Ansible does: the role's `files/`, `templates/` or `vars/`, then beside the playbook, then the project. */
  findFile(path: string, kind: "files" | "templates" | "vars"): string;
  /** Renders a Handlebars template file on the control machine with the task's variables. */
  renderTemplate(localPath: string): string;
  /** Environment from the task's `environment:` keyword. */
  env?: Record<string, string>;
  /** Milliseconds before the task is ended (task `timeout:`). */
  timeoutMs?: number;
  /** Stops work when the run is interrupted. */
  signal?: AbortSignal;
}

export interface ModuleDefinition<Args = Record<string, unknown>> {
  name: string;
  /** Other names accepted in playbooks (e.g. systemd_service, ansible.builtin.systemd). */
  aliases?: string[];
  /** JSON Schema of the arguments, checked with ajv at load time (when literal) and before the run. */
  schema: JsonSchema;
  /** Name of the argument a free-form string fills (`command: ls -l` -> cmd). */
  freeForm?: string;
  /** Runs on the control machine only (debug, set_fact, assert, fail, meta): no connection opened. */
  controllerOnly?: boolean;
  run(ctx: ModuleContext, args: Args): Promise<ModuleResult>;
}
