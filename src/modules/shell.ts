// shell: runs a command line through a shell (/bin/sh, or `executable`), pipes and all.
import { shellJoin } from "../engine/shell-quote.js";
import { runCommandLine } from "./command.js";
import type { ModuleDefinition } from "./types.js";

export interface ShellArgs {
  cmd: string;
  chdir?: string;
  creates?: string;
  removes?: string;
  executable?: string;
  stdin?: string;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
}

export const shellModule: ModuleDefinition<ShellArgs> = {
  name: "shell",
  freeForm: "cmd",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["cmd"],
    properties: {
      cmd: { type: "string" },
      chdir: { type: "string" },
      creates: { type: "string" },
      removes: { type: "string" },
      executable: { type: "string" },
      stdin: { type: "string" },
      stdin_add_newline: { type: "boolean", default: true },
      strip_empty_ends: { type: "boolean", default: true },
    },
  },
  run(ctx, args) {
    // The connection already runs `sh`; another interpreter gets the text as one -c argument.
    const line = args.executable ? shellJoin([args.executable, "-c", args.cmd]) : `( ${args.cmd}\n)`;
    return runCommandLine(ctx, {
      shown: args.cmd,
      line,
      ...(args.chdir !== undefined ? { chdir: args.chdir } : {}),
      ...(args.creates !== undefined ? { creates: args.creates } : {}),
      ...(args.removes !== undefined ? { removes: args.removes } : {}),
      ...(args.stdin !== undefined ? { stdin: args.stdin_add_newline ? `${args.stdin}\n` : args.stdin } : {}),
      stripEmptyEnds: args.strip_empty_ends,
    });
  },
};
