// JSON Schemas of every playbook keyword. Each object's `properties` is also the list of keywords
// it accepts (unknown ones are reported with a suggestion by the loader). `expect` says in words
// what a keyword takes, for error messages.
import type { JsonSchema } from "../../modules/types.js";

/** A Jinja template is accepted anywhere a typed value is: it can only be checked at run time. */
const TEMPLATE = "\\{\\{|\\{%";

const str = { type: "string", expect: "a string" };
/** Names are text; Ansible also takes a bare number (`name: 2`) as its text. */
const name = { type: ["string", "number"], expect: "a name" };
/** Ansible's boolean words (yes/no/on/off/true/false/y/n/1/0, any case). */
const BOOLEAN_WORD = "^\\s*(?:[yY](?:[eE][sS])?|[nN][oO]?|[tT](?:[rR][uU][eE])?|[fF](?:[aA][lL][sS][eE])?|[oO][nN]|[oO][fF][fF]|1|0)\\s*$";
const boolish = { type: ["boolean", "string"], pattern: `${BOOLEAN_WORD}|${TEMPLATE}`, expect: "true, false or a template" };
const intish = { type: ["integer", "string"], pattern: `^\\s*\\d+\\s*$|${TEMPLATE}`, expect: "a whole number or a template" };
const dict = { type: ["object", "null"], expect: "a mapping" };
const condition = {
  type: ["string", "boolean", "array"],
  items: { type: ["string", "boolean"] },
  expect: "a condition or a list of conditions",
};
const conditionList = { ...condition };
const stringList = { type: ["string", "array"], items: { type: "string" }, expect: "a string or a list of strings" };
const taskList = { type: ["array", "null"], items: { type: "object" }, expect: "a list of tasks" };

/** Keywords every play, role entry, block and task accepts (Ansible's Base/Become/Taggable). */
const COMMON_KEYWORDS: Record<string, JsonSchema> = {
  become: boolish,
  become_user: str,
  check_mode: boolish,
  diff: boolish,
  environment: { type: ["object", "string"], expect: "a mapping of variable names to values" },
  ignore_errors: boolish,
  ignore_unreachable: boolish,
  no_log: boolish,
  any_errors_fatal: boolish,
  run_once: boolish,
  throttle: intish,
  timeout: intish,
  remote_user: str,
  become_method: { enum: ["sudo"], expect: "`sudo` (the only method kplay implements)" },
  connection: { type: "string", pattern: `^(ssh|local|smart)$|${TEMPLATE}`, expect: "`ssh` or `local`" },
  tags: {
    type: ["string", "number", "array"],
    items: { type: ["string", "number"] },
    expect: "a tag or a list of tags",
  },
  vars: dict,
};

/** Keywords of tasks and blocks but not of plays. */
const STEP_KEYWORDS: Record<string, JsonSchema> = {
  name,
  when: condition,
  delegate_to: str,
};

const SERIAL_ENTRY = `^\\d+(\\.\\d+)?%?$|${TEMPLATE}`;

export const PLAY_SCHEMA: JsonSchema = {
  type: "object",
  required: ["hosts"],
  properties: {
    ...COMMON_KEYWORDS,
    name,
    hosts: {
      type: ["string", "array"],
      minLength: 1,
      minItems: 1,
      items: { type: "string", minLength: 1 },
      expect: "a host pattern or a list of them",
    },
    gather_facts: boolish,
    serial: {
      type: ["integer", "string", "array"],
      pattern: SERIAL_ENTRY,
      items: { type: ["integer", "string"], pattern: SERIAL_ENTRY },
      expect: 'a number, a percentage such as "30%", or a list of them',
    },
    strategy: { enum: ["linear", "free"], expect: "`linear` or `free`" },
    order: {
      enum: ["inventory", "reverse_inventory", "sorted", "reverse_sorted", "shuffle"],
      expect: "inventory, reverse_inventory, sorted, reverse_sorted or shuffle",
    },
    max_fail_percentage: { type: "number", minimum: 0, maximum: 100, expect: "a number from 0 to 100" },
    force_handlers: boolish,
    vars_files: stringList,
    roles: { type: ["array", "null"], items: { type: ["string", "object"] }, expect: "a list of roles" },
    pre_tasks: taskList,
    tasks: taskList,
    post_tasks: taskList,
    handlers: taskList,
  },
};

export const BLOCK_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    ...COMMON_KEYWORDS,
    ...STEP_KEYWORDS,
    block: taskList,
    rescue: taskList,
    always: taskList,
  },
};

export const TASK_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    ...COMMON_KEYWORDS,
    ...STEP_KEYWORDS,
    action: { type: ["string", "object"], expect: "a module name with arguments" },
    local_action: { type: ["string", "object"], expect: "a module name with arguments" },
    args: { type: "object", expect: "a mapping of module arguments" },
    register: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$", expect: "a variable name" },
    loop: { type: ["array", "string"], expect: "a list or a template giving one" },
    loop_control: {
      type: "object",
      properties: {
        loop_var: str,
        index_var: str,
        label: str,
        pause: { type: ["number", "string"] },
        extended: boolish,
      },
      additionalProperties: false,
      expect: "a mapping of loop_var, index_var, label, pause, extended",
    },
    changed_when: conditionList,
    failed_when: conditionList,
    until: { type: ["string", "boolean"], expect: "a condition" },
    retries: intish,
    delay: intish,
    notify: stringList,
    listen: stringList,
    delegate_facts: boolish,
  },
};

/** `- role: x` entries in `roles:` and meta dependencies; keys that are not keywords are role parameters. */
export const ROLE_ENTRY_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    ...COMMON_KEYWORDS,
    when: condition,
    delegate_to: str,
    role: str,
    name,
  },
};

export const ROLE_META_SCHEMA: JsonSchema = {
  type: ["object", "null"],
  properties: {
    dependencies: { type: ["array", "null"], items: { type: ["string", "object"] }, expect: "a list of roles" },
    allow_duplicates: boolish,
    galaxy_info: { type: "object" },
    argument_specs: { type: "object" },
    collections: { type: "array" },
  },
};

/** Ansible keywords kplay deliberately does not implement: refused with a reason rather than ignored. */
export const UNSUPPORTED_KEYWORDS: Record<string, string> = {
  vars_prompt: "pass values with -e instead of prompting",
  module_defaults: "set the arguments on each task",
  collections: "kplay has no collections; modules are built in",
  debugger: "kplay has no task debugger",
  async: "kplay runs tasks synchronously; use `timeout:`",
  poll: "kplay runs tasks synchronously; use `timeout:`",
  become_flags: "kplay becomes another user with sudo only",
  become_exe: "kplay becomes another user with sudo only",
  gather_subset: "kplay gathers one fixed set of facts",
  gather_timeout: "kplay gathers one fixed set of facts",
  fact_path: "kplay has no local facts",
  port: "set `ansible_port` in the inventory",
};

export function keywordsOf(schema: JsonSchema): string[] {
  return Object.keys(schema.properties as Record<string, unknown>);
}
