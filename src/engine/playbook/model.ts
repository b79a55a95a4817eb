// The loaded, validated playbook: plain objects the executor walks. Everything keeps its
// source position so runtime errors can name file:line:column.
import type { SourcePosition } from "../errors.js";

/**
 * Keywords shared by plays, blocks, roles and tasks; inherited downward (task wins). The loader
 * stores the *effective* values on every block and task (see inherit.ts): a task's `when` already
 * starts with its parents' conditions, its `tags` include theirs, its `vars` hold its blocks'
 * vars. Play `vars` and role vars are not copied down: they keep their own precedence levels.
 */
export interface CommonKeywords {
  become?: boolean | string;
  become_user?: string;
  check_mode?: boolean | string;
  diff?: boolean | string;
  environment?: Record<string, unknown> | string;
  ignore_errors?: boolean | string;
  ignore_unreachable?: boolean | string;
  no_log?: boolean | string;
  any_errors_fatal?: boolean | string;
  run_once?: boolean | string;
  delegate_to?: string;
  throttle?: number | string;
  timeout?: number | string;
  /** Raw `when` expressions; a list means AND. Inherited ones are prepended. */
  when?: string[];
  tags?: string[];
  vars?: Record<string, unknown>;
  /** Login user for the hosts (overrides `ansible_user` as in Ansible). */
  remote_user?: string;
  /** `local` runs on the control machine; `ssh` is the default. */
  connection?: "ssh" | "local";
  /** Where each keyword's value is written, for errors found at run time (e.g. in a `when`). */
  positions?: Record<string, SourcePosition>;
}

/** Role context attached to every task that came from a role. */
export interface RoleContext {
  name: string;
  path: string;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  params: Record<string, unknown>;
}

export interface TaskNode extends CommonKeywords {
  kind: "task";
  name?: string;
  /** Canonical module name (aliases resolved), e.g. "command", "include_tasks", "meta". */
  module: string;
  /** The module name as written (`ansible.builtin.debug`); what --list-tasks shows for an unnamed task. */
  action: string;
  /** Arguments as written (may hold "{{ }}" strings); free-form text is already split into its argument. */
  args: Record<string, unknown>;
  register?: string;
  loop?: unknown;
  /** For `with_<lookup>:` loops, the lookup name (`items`, `dict`, ...); its terms are in `loop`. */
  loop_with?: string;
  loop_control?: { loop_var?: string; index_var?: string; label?: string; pause?: number; extended?: boolean };
  changed_when?: string[];
  failed_when?: string[];
  until?: string;
  retries?: number | string;
  delay?: number | string;
  notify?: string[];
  /** Handlers only: topics this handler answers to. */
  listen?: string[];
  role?: RoleContext;
  /** include_tasks / include_role only: what the included tasks inherit (the include's parents'
   * keywords plus its `vars`, not its own `when`/`tags`, as in Ansible). */
  includeParent?: CommonKeywords;
  position: SourcePosition;
}

export interface BlockNode extends CommonKeywords {
  kind: "block";
  name?: string;
  block: PlayItem[];
  rescue: PlayItem[];
  always: PlayItem[];
  role?: RoleContext;
  position: SourcePosition;
}

export type PlayItem = TaskNode | BlockNode;

export interface Play extends CommonKeywords {
  name: string;
  /** Host pattern; a list in the playbook is joined with ",". */
  hosts: string;
  /** The pattern as written (a one-entry list for a string), as --list-hosts prints it. */
  hostsWritten: string[];
  gather_facts: boolean;
  serial?: Array<number | string>;
  strategy: "linear" | "free";
  order?: "inventory" | "reverse_inventory" | "sorted" | "reverse_sorted" | "shuffle";
  max_fail_percentage?: number;
  force_handlers?: boolean | string;
  vars_files: string[];
  pre_tasks: PlayItem[];
  /** Roles expanded into blocks (meta dependencies first), in order. */
  roles: BlockNode[];
  tasks: PlayItem[];
  post_tasks: PlayItem[];
  handlers: TaskNode[];
  /** Directory of the playbook file this play came from (playbook_dir). */
  playbookDir: string;
  position: SourcePosition;
}

export interface Playbook {
  path: string;
  plays: Play[];
}
