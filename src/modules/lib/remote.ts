// Running commands for a module: the task's become, environment and timeout always apply, and a
// failing command becomes a ModuleFailure that says what was attempted and what the host answered.
import type { RunResult } from "../../engine/connection/types.js";
import type { ModuleContext } from "../types.js";
import { ModuleFailure } from "./operation.js";

export function runRemote(ctx: ModuleContext, command: string, stdin?: string | Buffer): Promise<RunResult> {
  return ctx.conn.run(command, {
    ...(ctx.become ? { become: ctx.become } : {}),
    ...(ctx.env ? { env: ctx.env } : {}),
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
  });
}

/** Runs a command that must succeed; `what` names the step for the error ("create directory /etc/x"). */
export async function runChecked(ctx: ModuleContext, command: string, what: string, stdin?: string | Buffer): Promise<RunResult> {
  const result = await runRemote(ctx, command, stdin);
  if (result.timedOut) throw new ModuleFailure(`${what}: timed out`, { rc: result.rc });
  if (result.rc !== 0) {
    const said = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-5).join("\n");
    throw new ModuleFailure(`${what}: failed (rc ${result.rc})${said ? `: ${said}` : ""}`, {
      rc: result.rc,
      stdout: result.stdout,
      stderr: result.stderr,
    });
  }
  return result;
}

/** Runs several commands as one round trip, stopping at the first failure. */
export function runAll(ctx: ModuleContext, commands: string[], what: string): Promise<RunResult | undefined> {
  if (commands.length === 0) return Promise.resolve(undefined);
  return runChecked(ctx, commands.join(" && "), what);
}
