// fail: ends the host's run with a message (usually under a `when`).
import type { ModuleDefinition } from "./types.js";

export const failModule: ModuleDefinition<{ msg: string }> = {
  name: "fail",
  controllerOnly: true,
  schema: {
    type: "object",
    additionalProperties: false,
    properties: { msg: { default: "Failed as requested from task" } },
  },
  async run(_ctx, args) {
    return { changed: false, failed: true, msg: typeof args.msg === "string" ? args.msg : JSON.stringify(args.msg) };
  },
};
