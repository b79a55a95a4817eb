import { fileURLToPath } from "node:url";
import path from "node:path";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Generated test-bed assets (SSH key, locks, downloaded .debs): per checkout, gitignored (`.cache/`). */
export const TESTBED_CACHE_DIR = path.join(REPO_ROOT, ".cache", "testbed");

export const BUILD_SCRIPT = path.join(REPO_ROOT, "scripts", "build-test-image.sh");
