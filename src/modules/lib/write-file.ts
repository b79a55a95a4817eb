// Replacing a file's content on the host the way copy/template/lineinfile/blockinfile all need:
// optional backup, optional `validate` command run on a temp file before it replaces the real
// one, atomic replacement (the connection's put), wanted mode/owner/group set in the same step.
import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import type { PutOptions } from "../../engine/connection/types.js";
import { shellQuote } from "../../engine/shell-quote.js";
import type { ModuleContext } from "../types.js";
import type { AttributeChanges, CurrentAttributes } from "./attributes.js";
import { ModuleFailure } from "./operation.js";
import { runChecked, runRemote } from "./remote.js";

export interface WriteOptions {
  /** Planned attribute changes for the path (see planAttributes). */
  attributes: AttributeChanges;
  /** The path's current attributes, kept when the user asked for none. */
  current?: CurrentAttributes;
  wantedMode?: boolean;
  backup?: boolean;
  /** Command with `%s` standing for the new file, e.g. `visudo -cf %s`. */
  validate?: string;
}

/** `validate` must name the file it checks; Ansible refuses it otherwise, and so do we. */
export function checkValidateArg(validate: string | undefined): void {
  if (validate !== undefined && !validate.includes("%s")) {
    throw new ModuleFailure(`validate must contain %s (the file to check), got \`${validate}\``);
  }
}

/** Makes a copy beside the file, named like Ansible's (`FILE.PID.YYYY-MM-DD@HH:MM:SS~`), and returns its path. */
export async function backupRemoteFile(ctx: ModuleContext, path: string): Promise<string> {
  const q = shellQuote(path);
  const r = await runChecked(ctx, `b=${q}.$$.$(date +%Y-%m-%d@%H:%M:%S)~ && cp -p -- ${q} "$b" && printf %s "$b"`, `back up ${path}`);
  return r.stdout;
}

function putOptions(ctx: ModuleContext, o: WriteOptions): PutOptions {
  const a = o.attributes;
  const mode = a.mode?.[1] ?? (o.wantedMode ? o.current?.mode : undefined);
  const owner = a.owner?.[1];
  const group = a.group?.[1];
  return {
    ...(mode ? { mode } : {}),
    ...(owner ? { owner } : {}),
    ...(group ? { group } : {}),
    ...(ctx.become ? { become: ctx.become } : {}),
  };
}

/** Writes `content` to `path`; returns `backup_file` when a backup was made. */
export async function writeRemoteFile(
  ctx: ModuleContext,
  path: string,
  content: string | Buffer,
  options: WriteOptions,
): Promise<{ backup_file?: string }> {
  const backup_file = options.backup && options.current ? await backupRemoteFile(ctx, path) : undefined;
  const put = putOptions(ctx, options);
  if (options.validate) {
    const temp = posix.join(posix.dirname(path), `.${posix.basename(path)}.kplay-${randomBytes(6).toString("hex")}.tmp`);
    await ctx.conn.put(content, temp, put);
    const check = await runRemote(ctx, options.validate.replaceAll("%s", shellQuote(temp)));
    if (check.rc !== 0) {
      await runRemote(ctx, `rm -f -- ${shellQuote(temp)}`);
      throw new ModuleFailure(`failed to validate: \`${options.validate}\` exited with rc ${check.rc}`, {
        rc: check.rc,
        stdout: check.stdout,
        stderr: check.stderr,
      });
    }
    await runChecked(ctx, `mv -f -- ${shellQuote(temp)} ${shellQuote(path)}`, `replace ${path}`);
  } else {
    await ctx.conn.put(content, path, put);
  }
  return backup_file ? { backup_file } : {};
}
