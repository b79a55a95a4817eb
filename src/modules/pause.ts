// pause: waits a number of seconds or minutes on the controller (prompts are not supported).
import { setTimeout as sleep } from "node:timers/promises";
import { pythonTimestamp } from "./command.js";
import type { ModuleDefinition } from "./types.js";

export interface PauseArgs {
  seconds?: number;
  minutes?: number;
  prompt?: string;
  echo: boolean;
}

export const pauseModule: ModuleDefinition<PauseArgs> = {
  name: "pause",
  controllerOnly: true,
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      seconds: { type: "number", minimum: 0 },
      minutes: { type: "number", minimum: 0 },
      prompt: { type: "string" },
      echo: { type: "boolean", default: true },
    },
    not: { required: ["seconds", "minutes"] },
  },
  async run(ctx, args) {
    if (args.seconds === undefined && args.minutes === undefined) {
      return { changed: false, failed: true, msg: "pause: kplay cannot prompt; give `seconds` or `minutes`" };
    }
    const seconds = args.seconds ?? (args.minutes ?? 0) * 60;
    const start = new Date();
    try {
      await sleep(seconds * 1000, undefined, ctx.signal ? { signal: ctx.signal } : {});
    } catch {
      return { changed: false, failed: true, msg: "pause interrupted" };
    }
    const stop = new Date();
    return {
      changed: false,
      start: pythonTimestamp(start),
      stop: pythonTimestamp(stop),
      delta: Math.round((stop.getTime() - start.getTime()) / 1000),
      echo: args.echo,
      user_input: "",
      stdout: `Paused for ${args.minutes !== undefined ? `${args.minutes} minutes` : `${seconds} seconds`}`,
    };
  },
};
