// Writes a vault file so that a reader sees the old content or the new, never half of either:
// a temp file beside it (created 0600, so plaintext is never readable by others), then a rename.
import { randomBytes } from "node:crypto";
import { chmod, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Mode of a file written where none existed, as ansible-vault creates them. */
const NEW_FILE_MODE = 0o600;

/** Replaces `path` with `data`, keeping the mode of the file it replaces. */
export async function writeFileAtomic(path: string, data: Buffer | string): Promise<void> {
  const mode = await stat(path).then(
    (s) => s.mode & 0o7777,
    () => NEW_FILE_MODE,
  );
  const temp = join(dirname(path), `.${basename(path)}.kplay-${randomBytes(6).toString("hex")}.tmp`);
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
