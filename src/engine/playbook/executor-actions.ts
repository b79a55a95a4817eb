// Task "modules" that the executor (not a module file) carries out: they change what runs,
// not the host. The loader recognises them by these definitions and checks their arguments.
import type { JsonSchema } from "../../modules/types.js";

export interface ExecutorAction {
  name: string;
  schema: JsonSchema;
  /** Argument a free-form string fills (`include_tasks: x.yml` → file). */
  freeForm?: string;
}

export const META_ACTIONS = ["flush_handlers", "end_play", "end_host", "noop", "clear_facts", "refresh_inventory"];

const file = { type: "string", minLength: 1 };
const roleArgs = {
  name: { type: "string", minLength: 1 },
  tasks_from: file,
  vars_from: file,
  defaults_from: file,
  handlers_from: file,
  allow_duplicates: { type: ["boolean", "string"] },
};

export const EXECUTOR_ACTIONS: readonly ExecutorAction[] = [
  {
    name: "meta",
    freeForm: "action",
    schema: {
      type: "object",
      required: ["action"],
      properties: { action: { enum: META_ACTIONS } },
      additionalProperties: false,
    },
  },
  {
    name: "include_tasks",
    freeForm: "file",
    schema: {
      type: "object",
      required: ["file"],
      properties: { file, apply: { type: "object" } },
      additionalProperties: false,
    },
  },
  {
    name: "import_tasks",
    freeForm: "file",
    schema: { type: "object", required: ["file"], properties: { file }, additionalProperties: false },
  },
  {
    name: "include_role",
    schema: {
      type: "object",
      required: ["name"],
      properties: { ...roleArgs, apply: { type: "object" }, public: { type: ["boolean", "string"] } },
      additionalProperties: false,
    },
  },
  {
    name: "import_role",
    schema: { type: "object", required: ["name"], properties: roleArgs, additionalProperties: false },
  },
];

const byName = new Map(EXECUTOR_ACTIONS.map((a) => [a.name, a]));

/** Accepts `ansible.builtin.X` and `ansible.legacy.X` as Ansible does. */
export function findExecutorAction(name: string): ExecutorAction | undefined {
  return byName.get(name.replace(/^ansible\.(builtin|legacy)\./, ""));
}
