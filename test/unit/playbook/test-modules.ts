// Small module definitions so loader tests do not depend on which real modules exist yet.
// Real registry modules are used for names not defined here.
import type { ModuleCatalog } from "../../../src/engine/playbook/task-action.js";
import { findModule, moduleNames } from "../../../src/modules/registry.js";
import type { ModuleDefinition } from "../../../src/modules/types.js";

const run = async () => ({ changed: false });
const str = { type: "string" };

const defs: ModuleDefinition[] = [
  {
    name: "command",
    freeForm: "cmd",
    schema: {
      type: "object",
      properties: { cmd: str, argv: { type: "array" }, chdir: str, creates: str, removes: str },
      additionalProperties: false,
    },
    run,
  },
  {
    name: "shell",
    freeForm: "cmd",
    schema: { type: "object", required: ["cmd"], properties: { cmd: str, chdir: str, creates: str }, additionalProperties: false },
    run,
  },
  {
    name: "debug",
    controllerOnly: true,
    schema: { type: "object", properties: { msg: {}, var: str, verbosity: { type: "integer" } }, additionalProperties: false },
    run,
  },
  { name: "set_fact", controllerOnly: true, schema: { type: "object" }, run },
  { name: "ping", schema: { type: "object", properties: { data: str }, additionalProperties: false }, run },
  {
    name: "file",
    schema: {
      type: "object",
      required: ["path"],
      properties: {
        path: { type: "string", aliases: ["dest", "name"] },
        state: { enum: ["file", "directory", "absent", "touch", "link"] },
        mode: { type: ["string", "integer"] },
        recurse: { type: "boolean" },
      },
      additionalProperties: false,
    },
    run,
  },
  {
    name: "copy",
    schema: {
      type: "object",
      required: ["dest"],
      properties: { src: str, content: str, dest: str, mode: { type: ["string", "integer"] } },
      additionalProperties: false,
    },
    run,
  },
  {
    name: "sysctl",
    schema: {
      type: "object",
      required: ["name"],
      properties: { name: { type: "string", pattern: "^[a-z0-9_.]+$" }, value: { type: ["string", "integer"] }, reload: { type: "boolean" } },
      additionalProperties: false,
    },
    run,
  },
];

const own = new Map<string, ModuleDefinition>();
for (const d of defs) for (const n of [d.name, `ansible.builtin.${d.name}`]) own.set(n, d);

export const testModules: ModuleCatalog = {
  find: (name) => own.get(name) ?? findModule(name),
  names: () => [...new Set([...own.keys(), ...moduleNames()])],
};
