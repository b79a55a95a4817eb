import { GenericContainer } from "testcontainers";

/** `systemd`: a full boot (PID 1 systemd, units, sysctl). `light`: sshd alone, for benchmarks with hundreds of hosts. */
export type HostMode = "systemd" | "light";

export interface HostContainerSpec {
  image: string;
  mode: HostMode;
  containerName: string;
  hostname: string;
  networkName: string;
  /** Fixed host port, so that a host keeps its address across stop/start like a real machine. */
  sshPort: number;
  authorizedKey: string;
  labels: Record<string, string>;
  /** Extra tmpfs mounts, path → options (e.g. `{ "/srv/small": "size=64k" }`): a small disk to fill. */
  tmpfs?: Record<string, string>;
  /** Capabilities added to a light host (systemd hosts have all): `["NET_ADMIN"]` lets it take its link down. */
  capabilities?: string[];
}

/**
 * A test host container. The settings testcontainers' builder cannot express are set here:
 * empty MaskedPaths/ReadonlyPaths (the API form of `--security-opt systempaths=unconfined`,
 * which makes /proc/sys writable for sysctl), the host cgroup namespace systemd expects on this
 * cgroup v1 machine, the signal that halts systemd, and port 22 published on 127.0.0.1 only.
 */
class HostContainer extends GenericContainer {
  constructor(image: string, mode: HostMode, sshPort: number) {
    super(image);
    this.createOpts.ExposedPorts = { "22/tcp": {} };
    this.hostConfig.PortBindings = { "22/tcp": [{ HostIp: "127.0.0.1", HostPort: String(sshPort) }] };
    if (mode === "systemd") {
      this.hostConfig.MaskedPaths = [];
      this.hostConfig.ReadonlyPaths = [];
      // Missing from @types/dockerode; Docker 20.10 (API 1.41) accepts it.
      Object.assign(this.hostConfig, { CgroupnsMode: "host" });
      this.createOpts.StopSignal = "SIGRTMIN+3";
    }
  }
}

export function hostContainer(spec: HostContainerSpec): GenericContainer {
  const container = new HostContainer(spec.image, spec.mode, spec.sshPort)
    .withName(spec.containerName)
    .withHostname(spec.hostname)
    .withNetworkMode(spec.networkName)
    .withLabels(spec.labels)
    // The image exists only locally: no registry is reachable.
    .withPullPolicy({ shouldPull: () => false })
    .withCopyContentToContainer([{ content: spec.authorizedKey, target: "/root/.ssh/authorized_keys", mode: 0o600 }])
    .withTmpFs(spec.tmpfs ?? {});
  if (spec.mode === "light") {
    return container.withCommand(["/usr/local/sbin/kplay-light-sshd"]).withAddedCapabilities(...(spec.capabilities ?? []));
  }
  return container
    .withCommand(["/lib/systemd/systemd"])
    // The sandbox lacks CAP_SYS_RESOURCE, so --privileged fails; everything else is granted.
    .withAddedCapabilities("ALL")
    .withDroppedCapabilities("SYS_RESOURCE")
    .withSecurityOpt("seccomp=unconfined", "apparmor=unconfined")
    .withBindMounts([{ source: "/sys/fs/cgroup", target: "/sys/fs/cgroup", mode: "rw" }])
    .withTmpFs({ "/run": "rw", "/run/lock": "rw" });
}
