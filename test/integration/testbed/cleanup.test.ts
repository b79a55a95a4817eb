import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { reapOrphans } from "../../support/testbed-cleanup.js";

const run = promisify(execFile);
const HOLD_HOST = new URL("./fixtures/hold-host.mjs", import.meta.url).pathname;

interface Held {
  containerId: string;
  networkName: string;
}

/** Starts a host in a child process and kills it with `signal` once the host is up. */
async function holdHostThenKill(signal: NodeJS.Signals): Promise<Held> {
  const child = spawn(process.execPath, [HOLD_HOST], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = once(child, "exit");
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  child.kill(signal);
  await exited;
  return JSON.parse(line) as Held;
}

async function exists(held: Held): Promise<{ container: boolean; network: boolean }> {
  const { stdout: containers } = await run("docker", ["ps", "--all", "--quiet", "--filter", `id=${held.containerId}`]);
  const { stdout: networks } = await run("docker", ["network", "ls", "--quiet", "--filter", `name=^${held.networkName}$`]);
  return { container: containers.trim() !== "", network: networks.trim() !== "" };
}

describe("test-bed cleanup when a test process dies", () => {
  it("removes the hosts and network of a process ended by SIGTERM", async () => {
    const held = await holdHostThenKill("SIGTERM");
    expect(await exists(held)).toEqual({ container: false, network: false });
  });

  it("removes those of a process killed by SIGKILL on the next reap", async () => {
    // SIGKILL runs no exit handler; any startHosts() call reaps, this one just does it now.
    const held = await holdHostThenKill("SIGKILL");
    await reapOrphans();
    expect(await exists(held)).toEqual({ container: false, network: false });
  });
});
