// Writes inventory files into a fresh temporary directory, so tests read real files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";

const created: string[] = [];
// Imported by each test file (files are isolated), so this runs after that file's tests.
afterAll(() => created.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A new empty directory, removed after the test file's tests. */
export function tempDir(prefix = "kplay-inventory-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Creates `files` (relative path → content) under a new directory and returns its path. */
export function tempTree(files: Record<string, string>): string {
  const root = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
