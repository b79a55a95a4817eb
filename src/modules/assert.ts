// assert: fails the host when any condition of `that` is false, naming the one that failed.
import { evaluateCondition } from "../engine/expr/render.js";
import { withMessage } from "./debug.js";
import type { ModuleDefinition, ModuleResult } from "./types.js";

export interface AssertArgs {
  that: string[];
  fail_msg?: unknown;
  success_msg: unknown;
  quiet: boolean;
}

export const assertModule: ModuleDefinition<AssertArgs> = {
  name: "assert",
  controllerOnly: true,
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["that"],
    properties: {
      that: { type: "array", items: { type: ["string", "boolean"] } },
      fail_msg: { aliases: ["msg"] },
      success_msg: { default: "All assertions passed" },
      quiet: { type: "boolean", default: false },
    },
  },
  async run(ctx, args) {
    for (const condition of args.that) {
      if (!evaluateCondition(condition, ctx.vars)) {
        return shown(args, args.fail_msg ?? "Assertion failed", { failed: true, assertion: condition, evaluated_to: false });
      }
    }
    return shown(args, args.success_msg, {});
  },
};

function shown(args: AssertArgs, msg: unknown, result: Record<string, unknown>): ModuleResult {
  const out = withMessage(msg, result);
  if (args.quiet) delete out._ansible_verbose_always;
  return out;
}
