// debug: prints a message or a variable's value (always shown, even without -v).
import { evaluate } from "../engine/expr/render.js";
import { isUndefined } from "../engine/expr/values.js";
import { isKplayError } from "../engine/errors.js";
import type { ModuleDefinition, ModuleResult } from "./types.js";

/** debug and assert messages may be any value (a list, a dict), not only the string ModuleResult declares. */
export function withMessage(msg: unknown, result: Record<string, unknown>): ModuleResult {
  return { changed: false, ...result, ...({ msg } as Record<string, unknown>), _ansible_verbose_always: true };
}

export interface DebugArgs {
  msg: unknown;
  var?: string;
  verbosity: number;
}

const NOT_DEFINED = "VARIABLE IS NOT DEFINED!";

export const debugModule: ModuleDefinition<DebugArgs> = {
  name: "debug",
  controllerOnly: true,
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      msg: { default: "Hello world!" },
      var: { type: "string" },
      verbosity: { type: "integer", minimum: 0, default: 0 },
    },
    not: { required: ["msg", "var"] },
  },
  async run(ctx, args) {
    const verbosity = Number(ctx.vars.ansible_verbosity ?? 0);
    if (args.verbosity > verbosity) return { changed: false, skipped: true, skipped_reason: "Verbosity threshold not met." };
    if (args.var === undefined) return withMessage(args.msg, {});
    let value: unknown;
    try {
      value = evaluate(args.var, ctx.vars);
    } catch (e) {
      if (!isKplayError(e) || !/undefined/.test(e.message)) throw e;
      value = NOT_DEFINED;
    }
    return { changed: false, [args.var]: isUndefined(value) ? NOT_DEFINED : value, _ansible_verbose_always: true };
  },
};
