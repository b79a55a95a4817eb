// hostname (ansible.builtin.hostname): the kernel's hostname and the persisted one. With systemd
// (hostnamectl answering through D-Bus) hostnamectl sets both; otherwise /etc/hostname is
// rewritten in place (it is often a bind mount in containers, which a rename cannot replace) and
// the kernel's name set through /proc/sys/kernel/hostname.
import { shellQuote } from "../engine/shell-quote.js";
import { catIfExists } from "./lib/config-file.js";
import { stateDiff } from "./lib/diff.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runAll } from "./lib/remote.js";
import { runSections } from "./lib/sections.js";

// Ansible's strategies that keep the name in /etc/hostname, and systemd's.
const FILE_STRATEGIES = ["debian", "generic", "alpine", "openrc"] as const;
type Strategy = "systemd" | (typeof FILE_STRATEGIES)[number];

export interface HostnameArgs {
  name: string;
  use?: Strategy;
}

export interface HostnameState {
  kernel: string;
  /** First line of /etc/hostname; undefined when the file does not exist. */
  file?: string;
  /** hostnamectl exists and reaches systemd-hostnamed. */
  systemd: boolean;
}

export interface HostnamePlan extends Plan {
  commands: string[];
}

const ETC_HOSTNAME = "/etc/hostname";

export function planHostname(args: HostnameArgs, state: HostnameState): HostnamePlan {
  const name = args.name;
  const strategy = args.use ?? (state.systemd ? "systemd" : "debian");
  if (strategy === "systemd" && !state.systemd) {
    throw new ModuleFailure("use=systemd needs hostnamectl reaching systemd-hostnamed (over D-Bus), which this host lacks; omit `use` to write /etc/hostname instead");
  }
  const commands: string[] = [];
  const kernelChanged = state.kernel !== name;
  const fileChanged = state.file !== name;
  if (kernelChanged || fileChanged) {
    if (strategy === "systemd") {
      commands.push(`hostnamectl set-hostname ${shellQuote(name)}`);
    } else {
      if (fileChanged) commands.push(`printf '%s\\n' ${shellQuote(name)} > ${ETC_HOSTNAME}`);
      if (kernelChanged) commands.push(`printf '%s' ${shellQuote(name)} > /proc/sys/kernel/hostname`);
    }
  }
  const short = name.split(".")[0];
  return {
    changed: commands.length > 0,
    commands,
    diff: [stateDiff("hostname", { hostname: state.kernel, [ETC_HOSTNAME]: state.file ?? "(absent)" }, { hostname: name, [ETC_HOSTNAME]: name })],
    result: {
      name,
      ansible_facts: { ansible_hostname: short, ansible_nodename: name, ansible_domain: name.slice(short.length + 1) },
    },
  };
}

export const hostname = defineOperation<HostnameArgs, HostnameState, HostnamePlan>({
  name: "hostname",
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      // RFC 1123 labels; the kernel keeps at most 64 characters.
      name: { type: "string", maxLength: 64, pattern: "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$" },
      use: { type: "string", enum: ["systemd", ...FILE_STRATEGIES] },
    },
  },
  async probe(ctx) {
    const get = await runSections(ctx, [
      { name: "kernel", command: "cat /proc/sys/kernel/hostname" },
      { name: "file", command: catIfExists(ETC_HOSTNAME) },
      // hostnamectl needs systemd-hostnamed over D-Bus, which minimal hosts and containers lack.
      { name: "systemd", command: "command -v hostnamectl >/dev/null && hostnamectl --static >/dev/null 2>&1" },
    ]);
    const kernel = get("kernel");
    if (kernel.rc !== 0) throw new ModuleFailure(`cannot read /proc/sys/kernel/hostname (rc ${kernel.rc})`);
    const file = get("file");
    if (file.rc !== 0 && file.rc !== 3) throw new ModuleFailure(`cannot read ${ETC_HOSTNAME} (rc ${file.rc})`);
    return {
      kernel: kernel.text.trim(),
      ...(file.rc === 0 ? { file: file.text.split("\n")[0].trim() } : {}),
      systemd: get("systemd").rc === 0,
    };
  },
  plan: (args, state) => planHostname(args, state),
  async apply(ctx, args, plan) {
    await runAll(ctx, plan.commands, `set the hostname to ${args.name}`);
  },
});
