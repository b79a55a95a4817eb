// A TextFile as probeTextFile reports it, for plan tests: a 0644 root file, or absent.
import type { TextFile } from "../../../src/modules/lib/text-file.js";

export function textFile(path: string, content: string | undefined): TextFile {
  const parent = { path: "/etc", exists: true as const, type: "directory" as const, mode: "0755", uid: 0, gid: 0, owner: "root", group: "root", size: 4096, mtime: 0, nlink: 2, inode: 1, device: 1 };
  if (content === undefined) return { state: { path, exists: false }, parent, encoding: "utf8" };
  return {
    state: { ...parent, path, type: "file", mode: "0644", size: content.length, nlink: 1, inode: 2 },
    parent,
    content,
    encoding: "utf8",
  };
}
