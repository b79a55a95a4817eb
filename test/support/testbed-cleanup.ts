import { execFile, execFileSync } from "node:child_process";
import { readlinkSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { onExit } from "signal-exit";

const run = promisify(execFile);

/** Labels on every container and network the test bed creates. */
const TESTBED_LABEL = "kplay.testbed";
const RUN_LABEL = "kplay.testbed.run";
const OWNER_PID_LABEL = "kplay.testbed.owner-pid";
const OWNER_PIDNS_LABEL = "kplay.testbed.owner-pidns";

/** A pid means something only inside its PID namespace; sandboxes sharing one dockerd may differ. */
const OWN_PID_NAMESPACE = readlinkSync("/proc/self/ns/pid");

/** One startHosts() call: everything it creates carries its run id, so cleanup finds even
 * containers whose start failed half-way. */
export interface TestbedRun {
  runId: string;
  networkName: string;
  tempDir: string;
}

export function runLabels(runId: string): Record<string, string> {
  return {
    [TESTBED_LABEL]: "true",
    [RUN_LABEL]: runId,
    [OWNER_PID_LABEL]: String(process.pid),
    [OWNER_PIDNS_LABEL]: OWN_PID_NAMESPACE,
  };
}

const listRunContainers = (runId: string) => ["ps", "--all", "--quiet", "--filter", `label=${RUN_LABEL}=${runId}`];
const removeContainers = (ids: string[]) => ["rm", "--force", "--volumes", ...ids];
const lines = (text: string) => text.split("\n").filter(Boolean);

/**
 * Removes the network once dockerd has let go of its endpoints. Under load (30 hosts removed at
 * once) dockerd may still report "active endpoints" after `docker rm --force` returned, and now
 * and then it keeps a stale one for good (no container listed, `disconnect --force` finds none):
 * the tests passed, so that leaves the network to reapOrphans() with a warning, not a failure.
 */
async function removeNetwork(network: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await run("docker", ["network", "rm", network]);
      return;
    } catch (error) {
      if (!String((error as { stderr?: string }).stderr ?? error).includes("active endpoints")) throw error;
      if (attempt >= 5) {
        console.warn(`test bed: dockerd still holds an endpoint of ${network}; it is left for the next run's cleanup`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

export async function removeRun(testbedRun: TestbedRun): Promise<void> {
  const ids = lines((await run("docker", listRunContainers(testbedRun.runId))).stdout);
  if (ids.length > 0) await run("docker", removeContainers(ids));
  await removeNetwork(testbedRun.networkName);
  rmSync(testbedRun.tempDir, { recursive: true, force: true });
}

/** Exit handlers cannot wait for promises: the same removal, synchronously. */
function removeRunNow(testbedRun: TestbedRun): void {
  try {
    const ids = lines(execFileSync("docker", listRunContainers(testbedRun.runId), { encoding: "utf8" }));
    if (ids.length > 0) execFileSync("docker", removeContainers(ids), { stdio: "ignore" });
    execFileSync("docker", ["network", "rm", testbedRun.networkName], { stdio: "ignore" });
  } catch {
    // Best effort while the process dies; what is left is reaped by the next startHosts() (reapOrphans).
  }
  rmSync(testbedRun.tempDir, { recursive: true, force: true });
}

/**
 * Without testcontainers' reaper (it cannot be pulled here) nothing removes containers of a test
 * process that exits early: remove them on exit and on signals. Returns the unregister function.
 */
export function removeOnExit(testbedRun: TestbedRun): () => void {
  return onExit(() => removeRunNow(testbedRun));
}

function ownerIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

async function listOrphans(kind: "container" | "network"): Promise<string[]> {
  const list = kind === "container" ? ["ps", "--all"] : ["network", "ls"];
  const { stdout } = await run("docker", [
    ...list, "--filter", `label=${TESTBED_LABEL}`, "--filter", `label=${OWNER_PIDNS_LABEL}=${OWN_PID_NAMESPACE}`,
    "--format", `{{.ID}} {{.Label "${OWNER_PID_LABEL}"}}`,
  ]);
  return lines(stdout)
    .map((line) => line.split(" "))
    .filter(([, pid]) => ownerIsGone(Number(pid)))
    .map(([id]) => id);
}

/** Removes containers and networks left by test processes that were killed (SIGKILL skips exit handlers). */
export async function reapOrphans(): Promise<void> {
  // Concurrent reapers may race for the same orphan: whoever loses has nothing left to do.
  const containers = await listOrphans("container");
  if (containers.length > 0) await run("docker", removeContainers(containers)).catch(() => undefined);
  const networks = await listOrphans("network");
  if (networks.length > 0) await run("docker", ["network", "rm", ...networks]).catch(() => undefined);
}
