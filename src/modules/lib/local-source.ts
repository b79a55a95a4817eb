// Reading what copy/unarchive send from the control machine: one file, or a directory tree in a
// stable order, with modes (for `mode: preserve`). Missing sources fail with Ansible's wording.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { ModuleFailure } from "./operation.js";

export interface LocalFile {
  /** Path relative to the source directory ("" for a single-file source), "/"-separated. */
  relative: string;
  content: Buffer;
  mode: number;
}

export interface LocalTree {
  kind: "file" | "directory";
  files: LocalFile[];
  /** Subdirectories relative to the source, parents before children (empty ones included). */
  directories: string[];
}

export async function readLocalSource(path: string, shownAs: string): Promise<LocalTree> {
  const info = await stat(path).catch(() => {
    throw new ModuleFailure(`could not find or access '${shownAs}' on the control machine (looked at ${path})`);
  });
  if (!info.isDirectory()) {
    return { kind: "file", files: [{ relative: "", content: await readFile(path), mode: info.mode & 0o7777 }], directories: [] };
  }
  const entries = await readdir(path, { recursive: true, withFileTypes: true });
  const files: LocalFile[] = [];
  const directories: string[] = [];
  for (const entry of entries) {
    const full = join(entry.parentPath, entry.name);
    const relative = full.slice(path.length).replace(/^\/+/, "");
    const s = await stat(full);
    if (s.isDirectory()) directories.push(relative);
    else if (s.isFile()) files.push({ relative, content: await readFile(full), mode: s.mode & 0o7777 });
  }
  directories.sort();
  files.sort((a, b) => a.relative.localeCompare(b.relative));
  return { kind: "directory", files, directories };
}
