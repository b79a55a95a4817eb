// PathAccess on the control machine's own file system (ansible_connection=local).
import { lstat, readFile, readlink, stat } from "node:fs/promises";
import type { Stats } from "node:fs";
import type { PathAccess, PathAttributes } from "./inspect-paths.js";

function statWith(call: (path: string) => Promise<Stats>) {
  return async (path: string): Promise<PathAttributes | "absent"> => {
    try {
      const s = await call(path);
      return { mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, mtime: Math.floor(s.mtimeMs / 1000), nlink: s.nlink };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // As sftp-server (and the shell's `[ -e ]`) see them: no such path.
      if (code === "ENOENT" || code === "ENOTDIR" || code === "ELOOP") return "absent";
      throw e;
    }
  };
}

export const localAccess: PathAccess = {
  lstat: statWith(lstat),
  stat: statWith(stat),
  readlink: (path) => readlink(path),
  read: async (path, upTo) => {
    const content = await readFile(path);
    return content.length > upTo ? undefined : content;
  },
};
