// Writes inventory files into a fresh temporary directory, so tests read real files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, onTestFinished } from "vitest";

/** A new empty directory, removed when the test that made it ends (or after the file's tests). */
export function tempDir(prefix = "kplay-inventory-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test: made while the file is collected, kept for all its tests.
    afterAll(remove);
  }
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
