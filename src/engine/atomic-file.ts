// Files replaced so that a reader sees the old content or the new, never half of either: a temp
// file beside the target (same filesystem, so the rename is atomic), then a rename. Used for the
// control machine's own files (vault files, the run journal, retry files) and, through the shell,
// for files on hosts (connection/remote-file.ts).
import { randomBytes } from "node:crypto";
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { chmod, open, rename, rm, stat } from "node:fs/promises";
import { posix } from "node:path";

/** Mode of a file written where none existed, as ansible-vault creates them: it may hold secrets. */
const NEW_FILE_MODE = 0o600;

/** A hidden temp name in the destination's directory, so the final rename stays on one filesystem. */
export function tempPathBeside(path: string): string {
  return posix.join(posix.dirname(path), `.${posix.basename(path)}.kplay-${randomBytes(6).toString("hex")}.tmp`);
}

/** Replaces `path` with `data` (synced to disk), keeping the mode of the file it replaces. */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const mode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => NEW_FILE_MODE,
  );
  const temp = tempPathBeside(path);
  const handle = await open(temp, "wx", NEW_FILE_MODE);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Replaces `path` with `data` created with `mode` (0600 unless given), for writers that cannot wait. */
export function writeFileAtomicSync(path: string, data: string, mode = NEW_FILE_MODE): void {
  const temp = tempPathBeside(path);
  try {
    writeFileSync(temp, data, { mode, flag: "wx" });
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
