// set_fact: sets host variables (already templated by the executor) for the rest of the run.
// The executor stores the returned `ansible_facts` in the set_fact layer, above play and task vars.
import type { ModuleDefinition } from "./types.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const setFactModule: ModuleDefinition<Record<string, unknown>> = {
  name: "set_fact",
  controllerOnly: true,
  schema: {
    type: "object",
    // Accepted for Ansible compatibility; kplay keeps no fact cache between runs.
    properties: { cacheable: { type: "boolean" } },
    minProperties: 1,
  },
  async run(_ctx, args) {
    const facts: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(args)) {
      if (name === "cacheable") continue;
      if (!IDENTIFIER.test(name)) {
        return { changed: false, failed: true, msg: `The variable name '${name}' is not valid. Variables must start with a letter or underscore character, and contain only letters, numbers and underscores.` };
      }
      // Ansible turns these four words into booleans, whichever way they were written.
      facts[name] = typeof value === "string" && /^(true|false|yes|no)$/i.test(value) ? /^(true|yes)$/i.test(value) : value;
    }
    return { changed: false, ansible_facts: facts };
  },
};
