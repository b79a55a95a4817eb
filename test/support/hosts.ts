/**
 * Real hosts for integration tests: Debian bookworm containers with OpenSSH (and, by default,
 * systemd as PID 1), reachable from the test on 127.0.0.1 and from each other on a private network.
 *
 *   import { startHosts, type TestHosts } from "../support/hosts.js";   // adjust the relative path
 *
 *   let bed: TestHosts;
 *   beforeAll(async () => { bed = await startHosts(3); });   // node1..node3
 *   afterAll(async () => { await bed?.stopAll(); });
 *
 * startHosts(count, { light?: boolean, names?: string, tmpfs?: Record<string, string>, capabilities?: string[] }) → Promise<TestHosts>
 *   light: true   sshd only, no systemd (fast; for benchmarks with hundreds of hosts)
 *   tmpfs: { "/srv/small": "size=64k" }   extra tmpfs mounts on every host (a small disk to fill)
 *   capabilities: ["NET_ADMIN"]   added to light hosts (systemd hosts have all): e.g. to take eth0 down
 *                                 from inside, a silent network cut (disconnectNetwork closes connections)
 *   names: "web"  inventory names web1..webN (default "node"); also each container's hostname
 *   Every call gets its own hosts and Docker network (a few seconds per call). The first call on a
 *   machine builds the image (1.5–3.5 min, once per recipe; parallel callers wait for that one
 *   build) and, as root, starts dockerd if it is not running. prepareTestBed() does just that part.
 *   Hosts: Debian 12, root by key only, sshd host keys generated per container (systemd: ed25519,
 *   ECDSA, RSA-2048; light: ed25519, ECDSA), python3 for Ansible comparisons, no Internet needed.
 *
 * TestHosts
 *   hosts: TestHost[]              in order node1..nodeN
 *   host(name): TestHost           by inventory name
 *   privateKeyPath                 ed25519 key that logs in as root on every host
 *   knownHostsPath                 known_hosts with each host's keys as `[127.0.0.1]:PORT` and as its containerIp
 *                                  (kept current when a containerIp changes)
 *   inventoryIni(extra = "")       INI inventory: one line per host with ansible_host/port/user=root,
 *                                  ansible_ssh_private_key_file and ansible_ssh_common_args pointing at
 *                                  knownHostsPath (so ansible-playbook works too); `extra` appended verbatim
 *                                  (e.g. "[masters]\nnode1\n")
 *   deployUser / deployPassword    a non-root sudoer whose sudo asks for this password (also DEPLOY_USER / DEPLOY_PASSWORD)
 *   networkName                    the Docker network the hosts share
 *   stopAll()                      removes hosts and network (also done on process exit)
 *
 * TestHost
 *   name, address ("127.0.0.1"), port (published sshd port; unchanged across stop/start),
 *   containerIp (address on the shared network; hosts reach each other there), containerId
 *   exec(cmd)  → { rc, stdout, stderr }: `sh -c cmd` as root through docker exec, independent of kplay
 *   stop() / start() / restart()       power the host off/on; files and host keys persist (start/restart
 *                                      wait until SSH answers again)
 *   pause() / unpause()                freeze the host: TCP connects but nothing answers (hung host)
 *   disconnectNetwork() / connectNetwork()   cut the host off the network (SSH from the test fails too)
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import PQueue from "p-queue";
import { getContainerRuntimeClient } from "testcontainers";
import { shellQuote } from "../../src/engine/shell-quote.js";
import { ensureDockerEngine, ensureTestImage } from "./docker.js";
import { hostContainer, type HostMode } from "./host-container.js";
import { ContainerHost } from "./container-host.js";
import type { ExecResult } from "./host-readiness.js";
import { ensureTestKey } from "./ssh-key.js";
import { reapOrphans, removeOnExit, removeRun, runLabels } from "./testbed-cleanup.js";

export type { ExecResult } from "./host-readiness.js";

export const DEPLOY_USER = "deploy";
export const DEPLOY_PASSWORD = "kplay-deploy-pw";

export interface StartHostsOptions {
  /** sshd only, no systemd: for benchmarks with many hosts. */
  light?: boolean;
  /** Inventory name prefix; hosts are named PREFIX1..PREFIXn. Default "node". */
  names?: string;
  /** Extra tmpfs mounts on every host, path → mount options: `{ "/srv/small": "size=64k" }`. */
  tmpfs?: Record<string, string>;
  /** Capabilities added to light hosts (systemd hosts have all): `["NET_ADMIN"]`. */
  capabilities?: string[];
}

export interface TestHost {
  readonly name: string;
  readonly address: "127.0.0.1";
  readonly port: number;
  readonly containerIp: string;
  readonly containerId: string;
  exec(cmd: string): Promise<ExecResult>;
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(): Promise<void>;
  pause(): Promise<void>;
  unpause(): Promise<void>;
  disconnectNetwork(): Promise<void>;
  connectNetwork(): Promise<void>;
}

export interface TestHosts {
  readonly hosts: TestHost[];
  host(name: string): TestHost;
  readonly privateKeyPath: string;
  readonly knownHostsPath: string;
  readonly networkName: string;
  readonly deployUser: string;
  readonly deployPassword: string;
  inventoryIni(extra?: string): string;
  stopAll(): Promise<void>;
}

// Docker and 2 cores: starting more containers at once only queues inside dockerd.
const START_CONCURRENCY = 8;
const PORT_ATTEMPTS = 5;

/** Engine, image and key: everything startHosts needs before the first container. */
export async function prepareTestBed(): Promise<{ image: string; privateKeyPath: string; publicKey: string }> {
  await ensureDockerEngine();
  const [image, key] = await Promise.all([ensureTestImage(DEPLOY_PASSWORD), ensureTestKey()]);
  return { image, ...key };
}

/** A port free right now on 127.0.0.1; docker binds it a moment later (a collision is retried). */
function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortCollision(error: unknown): boolean {
  return /port is already allocated|address already in use/i.test(String(error));
}

function knownHostsText(hosts: ContainerHost[]): string {
  return hosts
    .flatMap((h) => h.hostKeys.flatMap((key) => [`[${h.address}]:${h.port} ${key}`, ...(h.containerIp ? [`${h.containerIp} ${key}`] : [])]))
    .map((line) => `${line}\n`)
    .join("");
}

function inventoryIni(hosts: TestHost[], privateKeyPath: string, knownHostsPath: string): string {
  const sshArgs = `-o UserKnownHostsFile=${knownHostsPath} -o StrictHostKeyChecking=yes`;
  return hosts
    .map(
      (h) =>
        `${h.name} ansible_host=${h.address} ansible_port=${h.port} ansible_user=root ` +
        `ansible_ssh_private_key_file=${shellQuote(privateKeyPath)} ansible_ssh_common_args=${shellQuote(sshArgs)}\n`,
    )
    .join("");
}

export async function startHosts(count: number, options: StartHostsOptions = {}): Promise<TestHosts> {
  process.env.TESTCONTAINERS_RYUK_DISABLED = "true";
  const mode: HostMode = options.light ? "light" : "systemd";
  const prefix = options.names ?? "node";
  const { image, privateKeyPath, publicKey } = await prepareTestBed();
  await reapOrphans();

  const runId = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const labels = runLabels(runId);
  const testbedRun = { runId, networkName: `kplay-testbed-${runId}`, tempDir: await mkdtemp(path.join(os.tmpdir(), "kplay-testbed-")) };
  const unregister = removeOnExit(testbedRun);
  const client = await getContainerRuntimeClient();
  await client.network.create({ Name: testbedRun.networkName, Driver: "bridge", Labels: labels, CheckDuplicate: true });

  const knownHostsPath = path.join(testbedRun.tempDir, "known_hosts");
  const hosts: ContainerHost[] = [];
  // Hosts report address changes concurrently: write the file one snapshot at a time.
  let knownHostsWritten = Promise.resolve();
  const rewriteKnownHosts = () => (knownHostsWritten = knownHostsWritten.then(() => writeFile(knownHostsPath, knownHostsText(hosts))));

  const startOne = async (index: number): Promise<ContainerHost> => {
    const name = `${prefix}${index + 1}`;
    const containerName = `kplay-testbed-${runId}-${name}`;
    for (let attempt = 1; ; attempt++) {
      const port = await freeLocalPort();
      try {
        const container = await hostContainer({
          image, mode, sshPort: port, networkName: testbedRun.networkName, labels, authorizedKey: publicKey, containerName, hostname: name,
          ...(options.tmpfs ? { tmpfs: options.tmpfs } : {}),
          ...(options.capabilities ? { capabilities: options.capabilities } : {}),
        }).start();
        const host = new ContainerHost(name, port, container, mode, testbedRun.networkName, rewriteKnownHosts);
        hosts[index] = host;
        await host.waitUntilReady();
        return host;
      } catch (error) {
        if (attempt >= PORT_ATTEMPTS || !isPortCollision(error)) throw new Error(`starting test host ${name}: ${String(error)}`, { cause: error });
        // The container was created before its port failed to bind: free the name for the next attempt.
        await client.container.dockerode.getContainer(containerName).remove({ force: true });
      }
    }
  };

  const stopAll = async () => {
    unregister();
    await removeRun(testbedRun);
  };

  const queue = new PQueue({ concurrency: START_CONCURRENCY });
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => queue.add(() => startOne(i))));
  const failure = started.find((result) => result.status === "rejected");
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  await rewriteKnownHosts();
  return {
    hosts,
    host(name) {
      const found = hosts.find((h) => h.name === name);
      if (!found) throw new Error(`no test host named ${name}; have ${hosts.map((h) => h.name).join(", ")}`);
      return found;
    },
    privateKeyPath,
    knownHostsPath,
    networkName: testbedRun.networkName,
    deployUser: DEPLOY_USER,
    deployPassword: DEPLOY_PASSWORD,
    inventoryIni: (extra = "") => inventoryIni(hosts, privateKeyPath, knownHostsPath) + extra,
    stopAll,
  };
}
