import { execFile } from "node:child_process";
import { access, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { withCacheLock } from "./cache-lock.js";
import { TESTBED_CACHE_DIR } from "./testbed-paths.js";

const run = promisify(execFile);

export interface TestKey {
  privateKeyPath: string;
  publicKey: string;
}

const PRIVATE_KEY_PATH = path.join(TESTBED_CACHE_DIR, "id_ed25519");

async function exists(file: string): Promise<boolean> {
  return access(file).then(() => true, () => false);
}

/** The control machine's key for root on every test host; generated once per checkout. */
export async function ensureTestKey(): Promise<TestKey> {
  if (!(await exists(`${PRIVATE_KEY_PATH}.pub`))) {
    await withCacheLock("ssh-key", async () => {
      if (await exists(`${PRIVATE_KEY_PATH}.pub`)) return;
      // A half-written pair from a crashed run would make ssh-keygen ask before overwriting.
      await rm(PRIVATE_KEY_PATH, { force: true });
      await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "kplay-testbed", "-f", PRIVATE_KEY_PATH]);
    });
  }
  return { privateKeyPath: PRIVATE_KEY_PATH, publicKey: await readFile(`${PRIVATE_KEY_PATH}.pub`, "utf8") };
}
