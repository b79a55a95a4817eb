// How to reach a host, resolved the way Ansible's ssh connection (with OpenSSH underneath) does:
// inventory variables, then command-line flags, then ~/.ssh/config, then OpenSSH's defaults.
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { split as shellSplit } from "shlex";
import SSHConfig from "ssh-config";
import type { globSync } from "tinyglobby";
import { KplayError } from "../errors.js";
import { lazyRequire } from "../lazy-require.js";
import type { ConnectionSpec } from "./types.js";

export interface ConnectionCliOptions {
  /** -u / --user */
  user?: string;
  /** --private-key */
  privateKey?: string;
  /** --timeout, in seconds (Ansible's default is 10). */
  timeoutSeconds?: number;
  /** --accept-new-host-keys */
  acceptNewHostKeys?: boolean;
  /** ansible.cfg's ssh arguments, for a host whose variables set none of that kind. */
  sshArgs?: SshArgs;
}

/** OpenSSH arguments as Ansible's ssh connection takes them: ssh_args first, so its -o options win. */
export interface SshArgs {
  args?: string;
  common?: string;
  extra?: string;
}

// Globs appear only in `Include` lines: tinyglobby (and the picomatch it loads) waits for one.
const tinyglobby = lazyRequire<{ globSync: typeof globSync }>("tinyglobby");

/** Connection timeout where nothing sets one (Ansible's default too). */
export const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_IDENTITIES = ["id_ed25519", "id_ecdsa", "id_rsa"];

type HostVars = Readonly<Record<string, unknown>>;
type SshSettings = Record<string, string | string[]>;
type SshConfigFile = ReturnType<typeof SSHConfig.parse>;

/** The first of `names` that is set, as a string. */
function firstVar(vars: HostVars, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = vars[name];
    if (value !== undefined && value !== null && value !== "") return String(value);
  }
  return undefined;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function expandHome(path: string): string {
  return path.replace(/^~(?=$|\/)/, homedir()).replace(/%d/g, homedir()).replace(/%u/g, userInfo().username);
}

/** OpenSSH's limit on nested Include directives. */
const MAX_INCLUDE_DEPTH = 16;

/**
 * Config text with its `Include` lines replaced by the files they name (globs sorted; relative
 * names are in the top config file's directory, ~/.ssh for the user's config, as in OpenSSH).
 */
function withIncludes(text: string, dir: string, depth: number): string {
  return text.split("\n").map((line) => {
    const include = /^\s*include\s+(.+)$/i.exec(line);
    if (!include) return line;
    if (depth >= MAX_INCLUDE_DEPTH) return "";
    return shellSplit(include[1]).flatMap((pattern) => {
      const path = expandHome(pattern);
      const [cwd, relative] = isAbsolute(path) ? ["/", path.slice(1)] : [dir, path];
      return tinyglobby().globSync(relative, { cwd, absolute: true, onlyFiles: true }).sort();
    }).map((file) => withIncludes(readFileSync(file, "utf8"), dir, depth + 1)).join("\n");
  }).join("\n");
}

const sshConfigs = new Map<string, { stamp: string; config: SshConfigFile }>();

/** Every host's spec reads the config: it is parsed once, and again only when the file changes. */
function loadSshConfig(path: string): SshConfigFile | undefined {
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    return undefined;
  }
  const cached = sshConfigs.get(path);
  if (cached?.stamp === stamp) return cached.config;
  const config = SSHConfig.parse(withIncludes(readFileSync(path, "utf8"), dirname(path), 0));
  sshConfigs.set(path, { stamp, config });
  return config;
}

/** Settings for `host` from ~/.ssh/config, keys lower-cased; `Match exec` is never run. */
function sshSettings(config: SshConfigFile | undefined, host: string): SshSettings {
  return config ? config.compute(host, { ignoreCase: true, matchExec: false }) : {};
}

/** StrictHostKeyChecking values that let a new host key in (and it is then recorded). */
function acceptsNewKeys(strictHostKeyChecking: string | undefined): boolean {
  return ["accept-new", "no", "off"].includes(strictHostKeyChecking?.toLowerCase() ?? "");
}

/** The agent socket: IdentityAgent from ~/.ssh/config ("none" disables it), else SSH_AUTH_SOCK. */
function agentSocket(identityAgent: string | undefined): string | undefined {
  if (identityAgent === undefined || identityAgent === "SSH_AUTH_SOCK") return process.env.SSH_AUTH_SOCK || undefined;
  return identityAgent.toLowerCase() === "none" ? undefined : expandHome(identityAgent);
}

/** `-o Key=Value`, `-o "Key Value"` and `-J jump` from ansible_ssh_args, _common_args and _extra_args (the first value of an option wins, as in ssh). */
export function parseSshArgs(args: string): SshSettings {
  const settings: SshSettings = {};
  const words = shellSplit(args);
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const option = word === "-o" ? words[++i] : word.startsWith("-o") ? word.slice(2) : undefined;
    if (option !== undefined) {
      const match = /^\s*(\w+)\s*(?:=|\s)\s*(.*)$/.exec(option);
      if (match) settings[match[1].toLowerCase()] ??= match[2];
    } else if (word === "-J") {
      settings.proxyjump ??= words[++i] ?? "";
    }
  }
  return settings;
}

function invalid(host: string, message: string): KplayError {
  return new KplayError({ kind: "variable", host, message: `host ${host}: ${message}` });
}

function portOf(host: string, value: string | undefined, from: string): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(host, `${from} "${value}" is not a port number`);
  return port;
}

interface Overrides {
  user?: string;
  port?: number;
  identities: string[];
  password?: string;
  timeoutSeconds?: number;
  knownHostsFiles?: string[];
  acceptNewHostKeys: boolean;
  proxyJump?: string;
}

/** Applies ~/.ssh/config and defaults to an address, then the jump chain (ProxyJump), recursively. */
function buildSpec(inventoryName: string, address: string, o: Overrides, config: SshConfigFile | undefined): ConnectionSpec {
  const ssh = sshSettings(config, address);
  const identities = [...o.identities, ...([ssh.identityfile ?? []].flat().map(expandHome))];
  const timeoutSeconds = o.timeoutSeconds ?? (Number(first(ssh.connecttimeout)) || DEFAULT_TIMEOUT_SECONDS);
  const userKnownHosts = o.knownHostsFiles ?? (first(ssh.userknownhostsfile)?.split(/\s+/).map(expandHome) ?? ["~/.ssh/known_hosts", "~/.ssh/known_hosts2"].map(expandHome));
  const globalKnownHosts = first(ssh.globalknownhostsfile)?.split(/\s+/) ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];
  const spec: ConnectionSpec = {
    inventoryName,
    transport: "ssh",
    host: (first(ssh.hostname) ?? address).replace(/%h/g, address),
    port: o.port ?? portOf(inventoryName, first(ssh.port), "Port in ~/.ssh/config") ?? 22,
    user: o.user ?? first(ssh.user) ?? userInfo().username,
    privateKeyFiles: identities.length > 0 ? identities : DEFAULT_IDENTITIES.map((f) => join(homedir(), ".ssh", f)).filter((f) => existsSync(f)),
    password: o.password,
    agent: agentSocket(first(ssh.identityagent)),
    connectTimeoutMs: timeoutSeconds * 1000,
    knownHostsFiles: [...new Set([...userKnownHosts, ...globalKnownHosts])],
    acceptNewHostKeys: o.acceptNewHostKeys || acceptsNewKeys(first(ssh.stricthostkeychecking)),
  };
  const proxyJump = o.proxyJump ?? first(ssh.proxyjump);
  if (proxyJump && proxyJump.toLowerCase() !== "none") spec.jump = jumpChain(proxyJump, spec, config);
  return spec;
}

/** `[user@]host[:port]`, comma-separated, the last hop nearest the target (as OpenSSH's -J). */
function jumpChain(proxyJump: string, target: ConnectionSpec, config: SshConfigFile | undefined): ConnectionSpec {
  const hops = proxyJump.split(",").map((h) => h.trim()).filter(Boolean);
  const last = hops[hops.length - 1];
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(last);
  if (!match) throw invalid(target.inventoryName, `ProxyJump "${last}" is not [user@]host[:port]`);
  const [, user, rawHost, port] = match;
  return buildSpec(last, rawHost.replace(/^\[|\]$/g, ""), {
    user,
    port: portOf(target.inventoryName, port, "ProxyJump port"),
    identities: [],
    timeoutSeconds: target.connectTimeoutMs / 1000,
    acceptNewHostKeys: target.acceptNewHostKeys,
    knownHostsFiles: target.knownHostsFiles,
    proxyJump: hops.length > 1 ? hops.slice(0, -1).join(",") : "none",
  }, config);
}

/**
 * The ConnectionSpec for one inventory host. Inventory variables win over command-line flags
 * (as in Ansible, where `ansible_user` beats `-u`), which win over ~/.ssh/config.
 * Kubespray's `bastion` group is applied by the caller with `behindBastion`.
 */
export function resolveConnectionSpec(
  inventoryHostname: string,
  hostVars: HostVars,
  cliOptions: ConnectionCliOptions = {},
  sshConfigPath: string = join(homedir(), ".ssh", "config"),
): ConnectionSpec {
  const connection = firstVar(hostVars, "ansible_connection") ?? "ssh";
  const configured = cliOptions.sshArgs ?? {};
  const args = parseSshArgs([
    firstVar(hostVars, "ansible_ssh_args") ?? configured.args,
    firstVar(hostVars, "ansible_ssh_common_args") ?? configured.common,
    firstVar(hostVars, "ansible_ssh_extra_args") ?? configured.extra,
  ].filter(Boolean).join(" "));
  const timeout = firstVar(hostVars, "ansible_ssh_timeout", "ansible_timeout");
  const overrides: Overrides = {
    user: firstVar(hostVars, "ansible_user", "ansible_ssh_user") ?? cliOptions.user ?? first(args.user),
    port: portOf(inventoryHostname, firstVar(hostVars, "ansible_port", "ansible_ssh_port"), "ansible_port") ?? portOf(inventoryHostname, first(args.port), "Port in ansible_ssh_common_args"),
    identities: [firstVar(hostVars, "ansible_ssh_private_key_file", "ansible_private_key_file") ?? cliOptions.privateKey ?? first(args.identityfile)]
      .filter((f): f is string => f !== undefined).map(expandHome),
    password: firstVar(hostVars, "ansible_password", "ansible_ssh_pass", "ansible_ssh_password"),
    timeoutSeconds: timeout !== undefined ? Number(timeout) : cliOptions.timeoutSeconds,
    knownHostsFiles: first(args.userknownhostsfile)?.split(/\s+/).map(expandHome),
    acceptNewHostKeys: cliOptions.acceptNewHostKeys === true || acceptsNewKeys(first(args.stricthostkeychecking)),
    proxyJump: first(args.proxyjump),
  };
  if (overrides.timeoutSeconds !== undefined && !(overrides.timeoutSeconds > 0)) {
    throw invalid(inventoryHostname, `connection timeout "${timeout ?? cliOptions.timeoutSeconds}" is not a positive number of seconds`);
  }
  const address = firstVar(hostVars, "ansible_host", "ansible_ssh_host") ?? inventoryHostname;
  if (connection === "local") {
    return {
      inventoryName: inventoryHostname,
      transport: "local",
      host: address,
      port: 0,
      user: userInfo().username,
      privateKeyFiles: [],
      connectTimeoutMs: (overrides.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
      knownHostsFiles: [],
      acceptNewHostKeys: false,
    };
  }
  if (!["ssh", "paramiko", "smart"].includes(connection)) {
    throw invalid(inventoryHostname, `ansible_connection "${connection}" is not supported (kplay has ssh and local)`);
  }
  return buildSpec(inventoryHostname, address, overrides, loadSshConfig(sshConfigPath));
}

/** Kubespray's `bastion` group: every other ssh host is reached through the bastion. */
export function behindBastion(spec: ConnectionSpec, bastion: ConnectionSpec | undefined): ConnectionSpec {
  if (!bastion || spec.transport !== "ssh" || spec.inventoryName === bastion.inventoryName || spec.jump) return spec;
  return { ...spec, jump: bastion };
}
