// Replacing a file's content on the host the way copy/template/lineinfile/blockinfile/get_url
// need it: optional backup, optional `validate` command run on a temp file before it replaces
// the real one, atomic replacement, wanted mode/owner/group set in the same step. The content
// comes from the control machine, or from another file on the host (copy's remote_src).
import { tempPathBeside } from "../../engine/atomic-file.js";
import type { PutOptions } from "../../engine/connection/types.js";
import { shellJoin, shellQuote } from "../../engine/shell-quote.js";
import type { ModuleContext } from "../types.js";
import type { AttributeChanges, CurrentAttributes } from "./attributes.js";
import { ModuleFailure } from "./operation.js";
import { runChecked, runRemote } from "./remote.js";

/** A file already on the host to copy from, with its mode (kept for a new dest). */
export interface RemoteSource {
  remotePath: string;
  mode: string;
}

export type FileContent = string | Buffer | RemoteSource;

export interface WriteOptions {
  /** Planned attribute changes for the path (see planAttributes). */
  attributes: AttributeChanges;
  /** The path's current attributes; a replaced file keeps those the user did not ask to change. */
  current?: CurrentAttributes;
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

/** Shell that copies `path` beside itself, named like Ansible's backups (`FILE.PID.YYYY-MM-DD@HH:MM:SS~`), into $b. */
export function backupCommand(path: string): string {
  const q = shellQuote(path);
  return `b=${q}.$$.$(date +%Y-%m-%d@%H:%M:%S)~ && cp -p -- ${q} "$b"`;
}

/** Makes a backup copy of the file and returns its path. */
export async function backupRemoteFile(ctx: ModuleContext, path: string): Promise<string> {
  const r = await runChecked(ctx, `${backupCommand(path)} && printf %s "$b"`, `back up ${path}`);
  return r.stdout;
}

function isRemote(content: FileContent): content is RemoteSource {
  return typeof content === "object" && !Buffer.isBuffer(content);
}

/**
 * The attributes the new file gets: the wanted ones, else the replaced file's (a temp file does
 * not inherit them by itself), else — for a copy on the host — the source's mode.
 */
function finalAttributes(ctx: ModuleContext, content: FileContent, o: WriteOptions): PutOptions {
  const mode = o.attributes.mode?.[1] ?? o.current?.mode ?? (isRemote(content) ? content.mode : undefined);
  const owner = o.attributes.owner?.[1] ?? o.current?.owner;
  const group = o.attributes.group?.[1] ?? o.current?.group;
  return {
    ...(mode ? { mode } : {}),
    ...(owner ? { owner } : {}),
    ...(group ? { group } : {}),
    ...(ctx.become ? { become: ctx.become } : {}),
  };
}

/** Puts the content at `target` (a new temp path) with its final attributes. */
async function stage(ctx: ModuleContext, content: FileContent, target: string, attrs: PutOptions): Promise<void> {
  if (!isRemote(content)) return ctx.conn.put(content, target, attrs);
  const owner = attrs.owner || attrs.group ? [shellJoin(["chown", "--", `${attrs.owner ?? ""}${attrs.group ? `:${attrs.group}` : ""}`, target])] : [];
  const mode = attrs.mode ? [shellJoin(["chmod", "--", attrs.mode, target])] : [];
  const steps = [shellJoin(["cp", "--", content.remotePath, target]), ...owner, ...mode];
  await runChecked(ctx, `{ ${steps.join(" && ")}; } || { rm -f -- ${shellQuote(target)}; exit 1; }`, `copy ${content.remotePath}`);
}

/** Writes `content` to `path`; returns `backup_file` when a backup was made. */
export async function writeRemoteFile(
  ctx: ModuleContext,
  path: string,
  content: FileContent,
  options: WriteOptions,
): Promise<{ backup_file?: string }> {
  const backup_file = options.backup && options.current ? await backupRemoteFile(ctx, path) : undefined;
  const attrs = finalAttributes(ctx, content, options);
  if (!options.validate && !isRemote(content)) {
    // The connection's put is already atomic (temp file beside it, then rename).
    await ctx.conn.put(content, path, attrs);
    return backup_file ? { backup_file } : {};
  }
  const temp = tempPathBeside(path);
  await stage(ctx, content, temp, attrs);
  if (options.validate) {
    const check = await runRemote(ctx, options.validate.replaceAll("%s", shellQuote(temp)));
    if (check.rc !== 0) {
      await runRemote(ctx, `rm -f -- ${shellQuote(temp)}`);
      throw new ModuleFailure(`failed to validate: \`${options.validate}\` exited with rc ${check.rc}`, {
        rc: check.rc,
        stdout: check.stdout,
        stderr: check.stderr,
      });
    }
  }
  await runChecked(ctx, `mv -f -- ${shellQuote(temp)} ${shellQuote(path)}`, `replace ${path}`);
  return backup_file ? { backup_file } : {};
}
