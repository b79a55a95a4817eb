import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { openSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { withCacheLock } from "./cache-lock.js";
import { BUILD_SCRIPT, TESTBED_CACHE_DIR } from "./testbed-paths.js";

const run = promisify(execFile);

const IMAGE_REPOSITORY = "kplay-testbed";
const ENGINE_START_TIMEOUT_MS = 60_000;

async function engineAnswers(): Promise<boolean> {
  try {
    await run("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes sure a Docker engine answers. A fresh CI machine has docker.io installed but nothing
 * started it: as root, start `dockerd` in the background (it outlives this process) and wait.
 */
export async function ensureDockerEngine(): Promise<void> {
  if (await engineAnswers()) return;
  if (process.getuid?.() !== 0) {
    throw new Error("The Docker engine does not answer (`docker info` failed) and only root can start dockerd.");
  }
  await withCacheLock("dockerd", async () => {
    if (await engineAnswers()) return;
    const logPath = path.join(TESTBED_CACHE_DIR, "dockerd.log");
    const log = openSync(logPath, "a");
    const daemon = spawn("dockerd", [], { detached: true, stdio: ["ignore", log, log] });
    let spawnError: Error | undefined;
    daemon.on("error", (error) => (spawnError = error));
    daemon.unref();
    closeSync(log);
    const deadline = Date.now() + ENGINE_START_TIMEOUT_MS;
    while (!(await engineAnswers())) {
      if (spawnError) throw new Error(`cannot start dockerd (is docker.io installed? .ci/run installs it): ${spawnError.message}`);
      if (Date.now() > deadline) throw new Error(`dockerd did not answer within ${ENGINE_START_TIMEOUT_MS / 1000} s; see ${logPath}`);
      await sleep(500);
    }
  });
}

/** The image tag is a hash of the recipe and the baked password: a changed recipe means a new image. */
async function testImageName(deployPassword: string): Promise<string> {
  const recipe = await readFile(BUILD_SCRIPT);
  const digest = createHash("sha256").update(recipe).update("\0").update(deployPassword).digest("hex");
  return `${IMAGE_REPOSITORY}:${digest.slice(0, 16)}`;
}

async function imageExists(image: string): Promise<boolean> {
  try {
    await run("docker", ["image", "inspect", "--format", "{{.Id}}", image]);
    return true;
  } catch {
    return false;
  }
}

async function buildImage(image: string, deployPassword: string): Promise<void> {
  const logPath = path.join(TESTBED_CACHE_DIR, "image-build.log");
  const log = openSync(logPath, "w");
  const env = { ...process.env, DEPLOY_PASSWORD: deployPassword, KPLAY_TESTBED_DEB_CACHE: path.join(TESTBED_CACHE_DIR, "debs") };
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("bash", [BUILD_SCRIPT, image], { env, stdio: ["ignore", log, log] });
    child.on("error", reject);
    child.on("close", resolve);
  }).finally(() => closeSync(log));
  if (exitCode !== 0) {
    const tail = (await readFile(logPath, "utf8")).split("\n").slice(-30).join("\n");
    throw new Error(`Building test image ${image} failed (exit ${exitCode}); full log: ${logPath}\n${tail}`);
  }
}

/**
 * Returns the name of the test-host image, building it first if this recipe was never built.
 * Concurrent callers (vitest workers) are serialised so only one builds.
 */
export async function ensureTestImage(deployPassword: string): Promise<string> {
  const image = await testImageName(deployPassword);
  if (await imageExists(image)) return image;
  await withCacheLock("image-build", async () => {
    if (await imageExists(image)) return;
    await buildImage(image, deployPassword);
    await removeOutdatedImages(image);
  });
  return image;
}

/**
 * Images of earlier recipes are 200 MB each. Only those a day old go: another checkout on this
 * machine (a colleague's, a CI copy) may still be on an earlier recipe right now.
 */
async function removeOutdatedImages(current: string): Promise<void> {
  const { stdout } = await run("docker", ["image", "ls", IMAGE_REPOSITORY, "--format", "{{.Repository}}:{{.Tag}}"]);
  const others = stdout.split("\n").filter((name) => name && name !== current);
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  const removeIfOld = async (name: string) => {
    const { stdout: created } = await run("docker", ["image", "inspect", "--format", "{{.Created}}", name]);
    if (Date.parse(created.trim()) < dayAgo) await run("docker", ["image", "rm", name]);
  };
  // Housekeeping only: an image in use or already gone is no reason to fail.
  await Promise.all(others.map((name) => removeIfOld(name).catch(() => undefined)));
}
