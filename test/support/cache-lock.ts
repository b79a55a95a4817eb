import { mkdir } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";
import { TESTBED_CACHE_DIR } from "./testbed-paths.js";

/**
 * Runs `work` while holding an inter-process lock named `name`, so that parallel vitest
 * workers create a shared asset (image, key) once while the others wait for it.
 * The lock file's mtime is refreshed while held; a crashed holder's lock goes stale.
 */
export async function withCacheLock<T>(name: string, work: () => Promise<T>): Promise<T> {
  await mkdir(TESTBED_CACHE_DIR, { recursive: true });
  const release = await lockfile.lock(path.join(TESTBED_CACHE_DIR, name), {
    realpath: false,
    stale: 30_000,
    // A first image build takes minutes; waiters poll for up to 15 minutes.
    retries: { retries: 900, factor: 1, minTimeout: 1_000, maxTimeout: 1_000 },
  });
  try {
    return await work();
  } finally {
    await release();
  }
}
