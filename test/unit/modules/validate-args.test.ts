import { describe, expect, it } from "vitest";
import { findModule, moduleNames } from "../../../src/modules/registry.js";
import type { ModuleDefinition } from "../../../src/modules/types.js";
import { normalizeModuleArgs, validateModuleArgs } from "../../../src/modules/validate-args.js";

const demo: ModuleDefinition = {
  name: "demo",
  schema: {
    type: "object",
    properties: {
      path: { type: "string", aliases: ["dest", "name"] },
      state: { type: "string", enum: ["present", "absent"], default: "present" },
      force: { type: "boolean", default: false },
      mode: { type: ["string", "integer"] },
      owner: { type: "string" },
      src: { type: "string" },
      content: { type: "string" },
      count: { type: "integer", minimum: 1 },
      headers: { type: "object", additionalProperties: { type: "string" } },
    },
    required: ["path"],
    not: { required: ["src", "content"] },
    if: { properties: { state: { const: "absent" } }, required: ["state"] },
    then: { required: ["force"] },
    additionalProperties: false,
  },
  run: async () => ({ changed: false }),
};

const messages = (args: Record<string, unknown>) => validateModuleArgs(demo, args).map((e) => e.message);

describe("validateModuleArgs", () => {
  it("names the argument, the allowed values and the likely fix", () => {
    expect(messages({ path: "/x", state: "presnt" })).toEqual([
      "demo: `state` must be one of present, absent; got `presnt` — did you mean `present`?",
    ]);
    expect(messages({ path: "/x", mdoe: "0644" })).toEqual(["demo: unknown argument `mdoe` — did you mean `mode`?"]);
    expect(messages({ path: "/x", zzzzzz: 1 })[0]).toMatch(/^demo: unknown argument `zzzzzz`$/);
    expect(validateModuleArgs(demo, { path: "/x", zzzzzz: 1 })[0]).toMatchObject({ kind: "module-args", hint: expect.stringContaining("accepted arguments: content, count") });
  });

  it("reports every problem at once", () => {
    expect(messages({ state: "gone", src: "a", content: "b", count: 0 })).toEqual(
      expect.arrayContaining([
        "demo: missing required argument `path`",
        "demo: `state` must be one of present, absent; got `gone`",
        "demo: `src` and `content` are mutually exclusive; give only one",
        "demo: `count` must be >= 1",
      ]),
    );
  });

  it("explains conditional requirements and wrong types", () => {
    expect(messages({ path: "/x", state: "absent" })).toEqual(["demo: missing required argument `force`"]);
    expect(messages({ path: "/x", headers: { a: 1 } })).toEqual([]); // coerced to "1"
    expect(messages({ path: "/x", headers: "a" })).toEqual(["demo: `headers` must be object; got a"]);
  });

  it("defers values that are still templates when asked (load time), not names or required arguments", () => {
    const args = { path: "/x", state: "{{ wanted_state }}", count: "{{ n }}", mdoe: "{{ m }}" };
    expect(validateModuleArgs(demo, args, { deferTemplated: true }).map((e) => e.message)).toEqual([
      "demo: unknown argument `mdoe` — did you mean `mode`?",
    ]);
    expect(validateModuleArgs(demo, { state: "{{ s }}" }, { deferTemplated: true }).map((e) => e.message)).toEqual([
      "demo: missing required argument `path`",
    ]);
    expect(messages(args)).toHaveLength(3);
  });

  it("rejects an argument given under two of its names", () => {
    expect(messages({ path: "/x", dest: "/y" })).toEqual(["demo: `path` and `dest` name the same argument `path`; give it once"]);
  });
});

describe("normalizeModuleArgs", () => {
  it("renames aliases, converts Ansible booleans, coerces scalars and fills defaults without mutating", () => {
    const input = { name: "/x", force: "yes", owner: 1000 };
    const { args, errors } = normalizeModuleArgs(demo, input);
    expect(errors).toEqual([]);
    expect(args).toEqual({ path: "/x", force: true, owner: "1000", state: "present" });
    expect(input).toEqual({ name: "/x", force: "yes", owner: 1000 });
    expect(normalizeModuleArgs(demo, args).args).toEqual(args);
  });

  it("hands valid arguments it produced back as they are (the module re-checks what the executor checked)", () => {
    const { args } = normalizeModuleArgs(demo, { name: "/x", force: "yes" });
    expect(normalizeModuleArgs(demo, args).args).toBe(args);
    const deferred = normalizeModuleArgs(demo, { path: "/x", count: "{{ n }}" }, { deferTemplated: true }).args;
    expect(normalizeModuleArgs(demo, deferred).args).not.toBe(deferred);
    expect(normalizeModuleArgs(demo, deferred).errors).toHaveLength(1);
  });

  it("copies nested values before filling them in, so a task's arguments stay as written", () => {
    const headers = { a: 1 };
    const { args } = normalizeModuleArgs<{ headers: Record<string, unknown> }>(demo, { path: "/x", headers });
    expect(args.headers).toEqual({ a: "1" });
    expect(headers).toEqual({ a: 1 });
  });

  it.each([["no", false], ["off", false], ["0", false], ["True", true], ["on", true], [1, true]])("reads %j as %j", (word, value) => {
    expect(normalizeModuleArgs<{ force: boolean }>(demo, { path: "/x", force: word }).args.force).toBe(value);
  });

  it("compiles every registered module's schema", () => {
    const names = moduleNames().filter((n) => !n.includes("."));
    for (const name of names) expect(() => normalizeModuleArgs(findModule(name)!, {}), name).not.toThrow();
  });
});
