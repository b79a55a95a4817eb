import { getContainerRuntimeClient, type StartedTestContainer } from "testcontainers";
import type { HostMode } from "./host-container.js";
import { waitForSsh, waitForSystemd, type ExecResult } from "./host-readiness.js";
import type { TestHost } from "./hosts.js";

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_S = 10;

/** A started test host and the power/network switches tests flip on it. */
export class ContainerHost implements TestHost {
  readonly address = "127.0.0.1";
  containerIp = "";
  /** `TYPE BASE64` of each SSH host key, read once: keys survive stop/start. */
  hostKeys: string[] = [];

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly container: StartedTestContainer,
    private readonly mode: HostMode,
    private readonly networkName: string,
    /** Called when containerIp changed, so the known_hosts file follows. */
    private readonly onAddressChange: () => Promise<void>,
  ) {}

  get containerId(): string {
    return this.container.getId();
  }

  async exec(cmd: string): Promise<ExecResult> {
    const result = await this.container.exec(["sh", "-c", cmd]);
    return { rc: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }

  /** Waits for a booted system (systemd mode) and an answering sshd, then learns address and keys. */
  async waitUntilReady(): Promise<void> {
    if (this.mode === "systemd") await waitForSystemd((cmd) => this.exec(cmd), READY_TIMEOUT_MS);
    await waitForSsh(this.port, READY_TIMEOUT_MS);
    if (this.hostKeys.length === 0) this.hostKeys = await this.readHostKeys();
    await this.refreshContainerIp();
  }

  async stop(): Promise<void> {
    await (await this.dockerContainer()).stop({ t: STOP_TIMEOUT_S });
  }

  async start(): Promise<void> {
    await (await this.dockerContainer()).start();
    await this.waitUntilReady();
  }

  async restart(): Promise<void> {
    await (await this.dockerContainer()).restart({ t: STOP_TIMEOUT_S });
    await this.waitUntilReady();
  }

  async pause(): Promise<void> {
    await (await this.dockerContainer()).pause();
  }

  async unpause(): Promise<void> {
    await (await this.dockerContainer()).unpause();
  }

  async disconnectNetwork(): Promise<void> {
    await (await this.dockerNetwork()).disconnect({ Container: this.containerId, Force: true });
  }

  async connectNetwork(): Promise<void> {
    await (await this.dockerNetwork()).connect({ Container: this.containerId });
    await this.refreshContainerIp();
  }

  private async readHostKeys(): Promise<string[]> {
    const keys = await this.exec("cat /etc/ssh/ssh_host_*_key.pub");
    if (keys.rc !== 0) throw new Error(`${this.name}: cannot read SSH host keys: ${keys.stderr}`);
    return keys.stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split(" ").slice(0, 2).join(" "));
  }

  private async refreshContainerIp(): Promise<void> {
    const info = await (await this.dockerContainer()).inspect();
    const ip = info.NetworkSettings.Networks[this.networkName]?.IPAddress ?? "";
    if (ip === this.containerIp) return;
    this.containerIp = ip;
    await this.onAddressChange();
  }

  private async dockerContainer() {
    const client = await getContainerRuntimeClient();
    return client.container.dockerode.getContainer(this.containerId);
  }

  private async dockerNetwork() {
    const client = await getContainerRuntimeClient();
    return client.container.dockerode.getNetwork(this.networkName);
  }
}
