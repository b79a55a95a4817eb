// The loaded, validated playbook: plain objects the executor walks. Everything keeps its
// source position so runtime errors can name file:line:column.
import type { SourcePosition } from "../errors.js";

/** Keywords shared by plays, blocks, roles and tasks; inherited downward (task wins). */
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
  /** Arguments as written (may hold "{{ }}" strings); free-form text is already split into its argument. */
  args: Record<string, unknown>;
  register?: string;
  loop?: unknown;
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
  hosts: string;
  gather_facts: boolean;
  serial?: Array<number | string>;
  strategy: "linear" | "free";
  order?: "inventory" | "reverse_inventory" | "sorted" | "reverse_sorted" | "shuffle";
  max_fail_percentage?: number;
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
