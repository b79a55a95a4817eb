// The playbook loader and the module argument check compile their schemas without ajv's
// meta-schema check (it costs start-up time on every run): this test is where a mistyped schema
// is caught instead.
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { EXECUTOR_ACTIONS } from "../../../src/engine/playbook/executor-actions.js";
import { BLOCK_SCHEMA, PLAY_SCHEMA, ROLE_ENTRY_SCHEMA, ROLE_META_SCHEMA, TASK_SCHEMA } from "../../../src/engine/playbook/schemas.js";
import { findModule, moduleNames } from "../../../src/modules/registry.js";
import type { JsonSchema } from "../../../src/modules/types.js";

const SCHEMAS: Array<[string, JsonSchema]> = [
  ["play", PLAY_SCHEMA],
  ["block", BLOCK_SCHEMA],
  ["task", TASK_SCHEMA],
  ["role entry", ROLE_ENTRY_SCHEMA],
  ["role meta", ROLE_META_SCHEMA],
  ...EXECUTOR_ACTIONS.map((a): [string, JsonSchema] => [`action ${a.name}`, a.schema]),
  ...[...new Set(moduleNames().map((n) => findModule(n)!))].map((m): [string, JsonSchema] => [`module ${m.name}`, m.schema]),
];

/** Meta-schema check and ajv's strict mode (unknown keywords and formats, misplaced ones). */
function schemaProblems(schema: JsonSchema): string | undefined {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
  ajv.addKeyword({ keyword: "expect", schemaType: "string" });
  ajv.addKeyword({ keyword: "aliases", schemaType: "array" });
  try {
    ajv.compile(schema);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("playbook keyword and module argument schemas", () => {
  it.each(SCHEMAS)("%s is a valid, strict JSON Schema", (_name, schema) => {
    expect(schemaProblems(schema)).toBeUndefined();
  });

  it("the check catches a mistyped schema", () => {
    expect(schemaProblems({ type: "object", properties: { become: { type: "bolean" } } })).toMatch(/schema is invalid/);
    expect(schemaProblems({ type: "object", properties: { become: { type: "string", formt: "x" } } })).toMatch(/unknown keyword/);
  });
});
