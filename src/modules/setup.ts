// setup: gathers facts in one round trip — a single sh script prints every reading in marked
// sections, parsed here into Ansible's fact names (without the `ansible_` prefix).
import ipaddr from "ipaddr.js";
import { runRemote } from "./lib/remote.js";
import type { ModuleDefinition } from "./types.js";

// Only POSIX sh, coreutils, procps and iproute2; a missing tool leaves its section empty.
const SCRIPT = `exec 2>/dev/null
s() { echo "@@$1"; }
s uname; uname -s; uname -r; uname -v; uname -m; uname -n
s os_release; cat /etc/os-release || cat /usr/lib/os-release
s debian_version; cat /etc/debian_version
s hostname; hostname; timeout 2 hostname -f
s meminfo; cat /proc/meminfo
s cpuinfo; grep -E '^(processor|physical id|core id|cpu cores|model name)' /proc/cpuinfo
s nproc; nproc
s init; cat /proc/1/comm
s pkg; for p in apt-get dnf yum zypper apk pacman; do command -v $p >/dev/null && { echo $p; break; }; done
s machine_id; cat /etc/machine-id
s product_uuid; cat /sys/class/dmi/id/product_uuid
s route4; ip -4 route show default
s route6; ip -6 route show default
s addr; ip -o addr show
s link; ip -o link show
s user; id -un; echo "$HOME"; id -u; id -g
s env; env
s date; date +%s
true`;

type Sections = Record<string, string[]>;

export function parseSections(stdout: string): Sections {
  const sections: Sections = {};
  let current: string[] | undefined;
  for (const line of stdout.split("\n")) {
    const m = /^@@(\w+)$/.exec(line);
    if (m) sections[m[1]] = current = [];
    else if (current && line !== "") current.push(line);
  }
  return sections;
}

function keyValues(lines: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1").replace(/^'(.*)'$/, "$1");
  }
  return out;
}

// os-release ID -> Ansible's distribution name, then distribution -> os_family.
const DISTRIBUTION: Record<string, string> = {
  debian: "Debian", ubuntu: "Ubuntu", raspbian: "Debian", linuxmint: "Linux Mint", centos: "CentOS", rhel: "RedHat",
  rocky: "Rocky", almalinux: "AlmaLinux", ol: "OracleLinux", fedora: "Fedora", amzn: "Amazon", sles: "SLES",
  "opensuse-leap": "openSUSE Leap", "opensuse-tumbleweed": "openSUSE Tumbleweed", arch: "Archlinux", alpine: "Alpine",
  flatcar: "Flatcar", kylin: "Kylin Linux Advanced Server", openEuler: "openEuler", uos: "UnionTech OS Server 20",
};
const FAMILY: Record<string, string> = {
  Debian: "Debian", Ubuntu: "Debian", "Linux Mint": "Debian", CentOS: "RedHat", RedHat: "RedHat", Rocky: "RedHat",
  AlmaLinux: "RedHat", OracleLinux: "RedHat", Fedora: "RedHat", Amazon: "RedHat", openEuler: "RedHat",
  "Kylin Linux Advanced Server": "RedHat", "UnionTech OS Server 20": "RedHat", SLES: "Suse",
  "openSUSE Leap": "Suse", "openSUSE Tumbleweed": "Suse", Archlinux: "Archlinux", Alpine: "Alpine", Flatcar: "Flatcar",
};
const PKG_MGR: Record<string, string> = { "apt-get": "apt", dnf: "dnf", yum: "yum", zypper: "zypper", apk: "apk", pacman: "pacman" };

interface Address4 { address: string; prefix: string; netmask: string; network: string; broadcast: string }
interface Address6 { address: string; prefix: string; scope: string }
interface Interface { device: string; active: boolean; mtu?: number; macaddress?: string; type: string; ipv4?: Address4; ipv4_secondaries?: Address4[]; ipv6: Address6[] }

function ipv4Details(cidr: string): Address4 {
  const [address, prefix] = cidr.split("/");
  const bits = Number(prefix);
  const parsed = ipaddr.IPv4.parseCIDR(cidr);
  return {
    address,
    prefix,
    netmask: ipaddr.IPv4.subnetMaskFromPrefixLength(bits).toString(),
    network: ipaddr.IPv4.networkAddressFromCIDR(cidr).toString(),
    broadcast: bits >= 31 ? "" : ipaddr.IPv4.broadcastAddressFromCIDR(`${parsed[0].toString()}/${bits}`).toString(),
  };
}

export function parseInterfaces(addrLines: string[] = [], linkLines: string[] = []): Map<string, Interface> {
  const interfaces = new Map<string, Interface>();
  for (const line of linkLines) {
    // "2: eth0@if5: <BROADCAST,UP,LOWER_UP> mtu 1500 ... link/ether 02:42:ac:11:00:02 brd ..."
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>.*?\bmtu (\d+)/.exec(line);
    if (!m) continue;
    const link = /link\/(\w+)(?:\s+([0-9a-f:]{17}))?/.exec(line);
    interfaces.set(m[1], {
      device: m[1],
      active: m[2].split(",").includes("UP"),
      mtu: Number(m[3]),
      ...(link?.[2] ? { macaddress: link[2] } : {}),
      type: link?.[1] === "ether" ? "ether" : link?.[1] === "loopback" ? "loopback" : (link?.[1] ?? "unknown"),
      ipv6: [],
    });
  }
  for (const line of addrLines) {
    // "2: eth0    inet 172.17.0.2/16 brd 172.17.255.255 scope global eth0\ ..."
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)(?:.*?\bscope (\w+))?/.exec(line);
    if (!m) continue;
    const iface = interfaces.get(m[1]) ?? { device: m[1], active: true, type: "unknown", ipv6: [] };
    interfaces.set(m[1], iface);
    if (m[2] === "inet") {
      const details = ipv4Details(m[3]);
      if (iface.ipv4) (iface.ipv4_secondaries ??= []).push(details);
      else iface.ipv4 = details;
    } else {
      const [address, prefix] = m[3].split("/");
      iface.ipv6.push({ address, prefix, scope: m[4] ?? "global" });
    }
  }
  return interfaces;
}

function defaultRoute(lines: string[] = []): { gateway?: string; interface?: string } {
  const m = /^default(?: via (\S+))?.*? dev (\S+)/.exec(lines[0] ?? "");
  return m ? { ...(m[1] ? { gateway: m[1] } : {}), interface: m[2] } : {};
}

function defaultAddress(route: { gateway?: string; interface?: string }, iface: Interface | undefined, family: 4 | 6) {
  if (!route.interface || !iface) return {};
  const common = { interface: iface.device, alias: iface.device, type: iface.type, ...(iface.mtu ? { mtu: iface.mtu } : {}), ...(iface.macaddress ? { macaddress: iface.macaddress } : {}), ...(route.gateway ? { gateway: route.gateway } : {}) };
  if (family === 4) return iface.ipv4 ? { ...iface.ipv4, ...common } : {};
  const global = iface.ipv6.find((a) => a.scope === "global");
  return global ? { ...global, ...common } : {};
}

function cpuFacts(cpuinfo: string[] = [], nproc: string[] = []) {
  const processors = cpuinfo.filter((l) => l.startsWith("processor")).length;
  const sockets = new Set(cpuinfo.filter((l) => l.startsWith("physical id")).map((l) => l.split(":")[1].trim())).size || 1;
  const coresLine = cpuinfo.find((l) => l.startsWith("cpu cores"));
  const cores = coresLine ? Number(coresLine.split(":")[1]) : Math.max(1, processors / sockets);
  const threads = Math.max(1, Math.round(processors / (sockets * cores)));
  const models = cpuinfo.filter((l) => l.startsWith("model name")).map((l) => l.split(":").slice(1).join(":").trim());
  return {
    processor_count: sockets,
    processor_cores: cores,
    processor_threads_per_core: threads,
    processor_vcpus: processors || Number(nproc[0] ?? 1),
    processor_nproc: Number(nproc[0] ?? processors),
    processor: models,
  };
}

function memoryFacts(meminfo: string[] = []) {
  const kb: Record<string, number> = {};
  for (const line of meminfo) {
    const m = /^(\w+):\s+(\d+)/.exec(line);
    if (m) kb[m[1]] = Number(m[2]);
  }
  const mb = (k: string) => Math.floor((kb[k] ?? 0) / 1024);
  return { memtotal_mb: mb("MemTotal"), memfree_mb: mb("MemFree"), swaptotal_mb: mb("SwapTotal"), swapfree_mb: mb("SwapFree") };
}

/** Turns the script's output into facts, named as Ansible names them inside `ansible_facts`. */
export function factsFromOutput(stdout: string): Record<string, unknown> {
  const s = parseSections(stdout);
  const [system, kernel, kernelVersion, architecture, nodename] = s.uname ?? [];
  const osRelease = keyValues(s.os_release);
  const id = osRelease.ID ?? "";
  const distribution = DISTRIBUTION[id] ?? (osRelease.NAME || system || "");
  const likeFamily = (osRelease.ID_LIKE ?? "").split(/\s+/).map((like) => FAMILY[DISTRIBUTION[like] ?? ""]).find(Boolean);
  const version = id === "debian" && s.debian_version?.[0] && /^\d/.test(s.debian_version[0]) ? s.debian_version[0] : (osRelease.VERSION_ID ?? "");
  const [hostnameLine, fqdnLine] = s.hostname ?? [];
  const hostname = (hostnameLine ?? nodename ?? "").split(".")[0];
  const fqdn = fqdnLine || hostnameLine || "";
  const interfaces = parseInterfaces(s.addr, s.link);
  const route4 = defaultRoute(s.route4);
  const route6 = defaultRoute(s.route6);
  const all4 = [...interfaces.values()].flatMap((i) => [i.ipv4, ...(i.ipv4_secondaries ?? [])]).filter((a): a is Address4 => !!a && !a.address.startsWith("127."));
  const all6 = [...interfaces.values()].flatMap((i) => i.ipv6).filter((a) => a.address !== "::1");
  const [userId, userDir, uid, gid] = s.user ?? [];
  const epoch = Number(s.date?.[0] ?? Math.floor(Date.now() / 1000));
  const facts: Record<string, unknown> = {
    system: system ?? "",
    kernel: kernel ?? "",
    kernel_version: kernelVersion ?? "",
    architecture: architecture ?? "",
    machine: architecture ?? "",
    nodename: nodename ?? "",
    hostname,
    fqdn,
    domain: fqdn.includes(".") ? fqdn.slice(fqdn.indexOf(".") + 1) : "",
    distribution,
    distribution_version: version,
    distribution_major_version: version.split(".")[0] ?? "",
    distribution_release: osRelease.VERSION_CODENAME ?? "",
    os_family: FAMILY[distribution] ?? likeFamily ?? distribution,
    ...memoryFacts(s.meminfo),
    ...cpuFacts(s.cpuinfo, s.nproc),
    service_mgr: (s.init?.[0] ?? "").trim() === "systemd" ? "systemd" : (s.init?.[0] ?? "").trim() || "unknown",
    pkg_mgr: PKG_MGR[s.pkg?.[0] ?? ""] ?? "unknown",
    machine_id: s.machine_id?.[0] ?? "",
    product_uuid: s.product_uuid?.[0] ?? "NA",
    default_ipv4: defaultAddress(route4, interfaces.get(route4.interface ?? ""), 4),
    default_ipv6: defaultAddress(route6, interfaces.get(route6.interface ?? ""), 6),
    all_ipv4_addresses: all4.map((a) => a.address),
    all_ipv6_addresses: all6.map((a) => a.address),
    interfaces: [...interfaces.keys()],
    user_id: userId ?? "",
    user_dir: userDir ?? "",
    user_uid: Number(uid ?? -1),
    user_gid: Number(gid ?? -1),
    env: keyValues(s.env),
    date_time: { epoch: String(epoch), iso8601: new Date(epoch * 1000).toISOString().replace(/\.\d+Z$/, "Z") },
  };
  for (const iface of interfaces.values()) facts[iface.device.replace(/[-.:]/g, "_")] = iface;
  return facts;
}

export const setupModule: ModuleDefinition<Record<string, unknown>> = {
  name: "setup",
  aliases: ["gather_facts"],
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      // Accepted for Ansible compatibility; kplay always reads every fact in one round trip.
      gather_subset: { type: ["array", "string"] },
      gather_timeout: { type: "integer" },
      filter: { type: ["array", "string"] },
    },
  },
  async run(ctx) {
    const r = await runRemote(ctx, SCRIPT);
    if (r.rc !== 0) return { changed: false, failed: true, msg: `gathering facts failed (rc ${r.rc})`, stderr: r.stderr };
    return { changed: false, ansible_facts: factsFromOutput(r.stdout) };
  },
};
