// File transfer through a shell: the way in under `become` (SFTP runs as the login user) and on
// the local transport. Writes are atomic: a temp file beside the destination, then `mv`.
import { tempPathBeside } from "../atomic-file.js";
import { KplayError } from "../errors.js";
import { shellQuote } from "../shell-quote.js";
import type { PutOptions, RunOptions, RunResult } from "./types.js";

export type RunCommand = (command: string, options?: RunOptions) => Promise<RunResult>;


/**
 * Moves an already written temp file over `dst`. Without an explicit mode/owner the file keeps
 * those of the file it replaces (owner only where permitted, as Ansible does); a new file gets
 * 0666 minus umask. The temp file is removed when anything fails.
 */
export function installCommand(tmp: string, dst: string, options: PutOptions): string {
  const lines = [
    `tmp=${shellQuote(tmp)} dst=${shellQuote(dst)}`,
    `fail() { rm -f -- "$tmp"; exit 1; }`,
    // mv would quietly move the file into a directory instead of replacing it.
    `[ -d "$dst" ] && { echo "$dst is a directory" >&2; fail; }`,
    `[ -e "$dst" ] && { chown "$(stat -L -c %u:%g -- "$dst")" -- "$tmp" 2>/dev/null || :; }`,
  ];
  if (options.owner !== undefined) lines.push(`chown ${shellQuote(options.owner)} -- "$tmp" || fail`);
  if (options.group !== undefined) lines.push(`chgrp ${shellQuote(options.group)} -- "$tmp" || fail`);
  // Mode last: chown clears set-id bits.
  if (options.mode !== undefined) lines.push(`chmod ${shellQuote(options.mode)} -- "$tmp" || fail`);
  else lines.push(`if [ -e "$dst" ]; then mode=$(stat -L -c %a -- "$dst"); else mode=$(printf %o $((0666 & ~0$(umask)))); fi`, `chmod "$mode" -- "$tmp" || fail`);
  lines.push(`mv -f -- "$tmp" "$dst" || fail`);
  return lines.join("\n");
}

function transferError(host: string, what: string, result: RunResult): KplayError {
  return new KplayError({ kind: "runtime", host, message: `${what} on ${host} failed: ${result.stderr.trim() || `rc ${result.rc}`}` });
}

/** Writes `content` to `path` through the shell: streamed as the command's stdin into a private temp file. */
export async function putThroughShell(run: RunCommand, host: string, content: string | Buffer, path: string, options: PutOptions): Promise<void> {
  const tmp = tempPathBeside(path);
  const command = `(umask 077 && cat > ${shellQuote(tmp)}) || { rm -f -- ${shellQuote(tmp)}; exit 1; }\n${installCommand(tmp, path, options)}`;
  const result = await run(command, { stdin: content, become: options.become });
  if (result.rc !== 0) throw transferError(host, `writing ${path}`, result);
}

/** Reads a whole file through the shell (base64 keeps it binary-safe). */
export async function getThroughShell(run: RunCommand, host: string, path: string, options: RunOptions): Promise<Buffer> {
  const result = await run(`base64 < ${shellQuote(path)}`, options);
  if (result.rc !== 0) throw transferError(host, `reading ${path}`, result);
  return Buffer.from(result.stdout, "base64");
}
