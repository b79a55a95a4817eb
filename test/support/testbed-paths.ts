import { fileURLToPath } from "node:url";
import os from "node:os";
import path from "node:path";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Generated test-bed assets (SSH key, locks, downloaded .debs). Per user, not per checkout: the
 * image they guard lives in the machine's one Docker engine, so every checkout must share the
 * build lock.
 */
export const TESTBED_CACHE_DIR = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "kplay-testbed");

export const BUILD_SCRIPT = path.join(REPO_ROOT, "scripts", "build-test-image.sh");
