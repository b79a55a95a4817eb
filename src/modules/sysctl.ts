// sysctl (ansible.posix.sysctl): one kernel parameter, set live through /proc/sys and persisted in
// a sysctl.d file. Unlike Ansible, the live value is compared whenever `reload` or `sysctl_set` is
// on, so a host whose file is right but whose kernel was changed by hand converges too; and
// "reload" writes this key to /proc/sys rather than re-reading the whole file (`sysctl -p`), so
// targets need no procps.
import { shellQuote } from "../engine/shell-quote.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { catIfExists, writeConfigFile } from "./lib/config-file.js";
import { contentDiff } from "./lib/diff.js";
import { runChecked } from "./lib/remote.js";
import { inspectGroups } from "./lib/file-inspect.js";
import type { FileState } from "./lib/file-state.js";
import { runSections } from "./lib/sections.js";
import type { FileDiff } from "./types.js";

export interface SysctlArgs {
  name: string;
  value?: string | number | boolean;
  state: "present" | "absent";
  sysctl_file: string;
  reload: boolean;
  sysctl_set: boolean;
  ignoreerrors: boolean;
}

export interface SysctlState {
  /** The kernel's current value, whitespace-normalized; undefined when the key does not exist. */
  live?: string;
  /** The sysctl file's text; undefined when the file does not exist. */
  file?: string;
}

export interface SysctlPlan extends Plan {
  fileAfter?: string;
  liveAfter?: string;
}

const BOOLEAN_WORDS: Record<string, string> = { yes: "1", on: "1", true: "1", no: "0", off: "0", false: "0" };

/** Ansible's value rules: booleans and yes/no words become 1/0, everything else is trimmed text. */
export function sysctlValue(value: SysctlArgs["value"]): string {
  if (value === undefined) return "";
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = String(value).trim();
  return BOOLEAN_WORDS[text.toLowerCase()] ?? text;
}

/** `net.ipv4.ip_forward` and `net/ipv4/ip_forward` both name /proc/sys/net/ipv4/ip_forward. */
export function procPath(name: string): string {
  return `/proc/sys/${name.includes("/") ? name.replace(/^\/+/, "") : name.replaceAll(".", "/")}`;
}

/** Multi-valued keys (net.ipv4.tcp_rmem) print tabs; compare word by word. */
function sameValue(a: string, b: string): boolean {
  return a.split(/\s+/).filter(Boolean).join(" ") === b.split(/\s+/).filter(Boolean).join(" ");
}

// Keys that appear only once a kernel module is loaded, and the module that provides them.
const PROVIDED_BY: [prefix: string, module: string][] = [
  ["net.bridge.", "br_netfilter"],
  ["net.netfilter.nf_conntrack", "nf_conntrack"],
  ["net.ipv4.vs.", "ip_vs"],
];

function missingKeyMessage(name: string): string {
  const dotted = name.replaceAll("/", ".");
  const module = PROVIDED_BY.find(([prefix]) => dotted.startsWith(prefix))?.[1];
  const how = module
    ? `load the kernel module that provides it first (task \`modprobe: name=${module}\`)`
    : "check the spelling, or load the kernel module that provides it first (`modprobe`)";
  return `sysctl key ${name} does not exist on this kernel (no ${procPath(name)}); ${how}`;
}

function isSetting(line: string): boolean {
  const t = line.trim();
  return t !== "" && !t.startsWith("#") && !t.startsWith(";") && t.includes("=");
}

function keyOf(line: string): string {
  return line.slice(0, line.indexOf("=")).trim();
}

/**
 * The sysctl file with `name` set (or removed): the first setting of the key is replaced in place,
 * later duplicates are dropped (the kernel would apply the last one), comments are kept.
 */
export function editSysctlFile(text: string, name: string, value: string, state: "present" | "absent"): string {
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let written = false;
  for (const line of lines) {
    if (!isSetting(line) || keyOf(line) !== name) {
      out.push(line);
    } else if (state === "present" && !written) {
      const current = line.slice(line.indexOf("=") + 1).trim();
      out.push(current === value ? line : `${name}=${value}`);
      written = true;
    }
  }
  if (state === "present" && !written) out.push(`${name}=${value}`);
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

export function planSysctl(args: SysctlArgs, state: SysctlState): SysctlPlan {
  const value = sysctlValue(args.value);
  if (state.live === undefined && args.state === "present" && !args.ignoreerrors) {
    throw new ModuleFailure(missingKeyMessage(args.name));
  }
  const before = state.file ?? "";
  const after = editSysctlFile(before, args.name, value, args.state);
  const fileChanged = after !== before;
  const liveChanged =
    args.state === "present" &&
    (args.reload || args.sysctl_set) &&
    state.live !== undefined &&
    !sameValue(state.live, value);
  const diff: FileDiff[] = [];
  if (fileChanged) diff.push(contentDiff(args.sysctl_file, state.file, after));
  if (liveChanged) diff.push(contentDiff(`${procPath(args.name)} (live)`, `${state.live}\n`, `${value}\n`));
  return {
    changed: fileChanged || liveChanged,
    diff,
    result: { name: args.name, value, ...(state.live !== undefined ? { live_value: state.live } : {}) },
    ...(fileChanged ? { fileAfter: after } : {}),
    ...(liveChanged ? { liveAfter: value } : {}),
  };
}

export const sysctl = defineOperation<SysctlArgs, SysctlState, SysctlPlan>({
  name: "sysctl",
  aliases: ["ansible.posix.sysctl"],
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", pattern: "^\\s*[A-Za-z0-9_./:@-]+\\s*$", aliases: ["key"] },
      // Numbers and booleans are coerced to text by the validator (1 -> "1", true -> "true");
      // a line break would smuggle another setting into the file.
      value: { type: "string", pattern: "^[^\\n]*$", aliases: ["val"] },
      state: { type: "string", enum: ["present", "absent"], default: "present" },
      sysctl_file: { type: "string", minLength: 1, default: "/etc/sysctl.d/99-kplay.conf" },
      reload: { type: "boolean", default: true },
      sysctl_set: { type: "boolean", default: false },
      ignoreerrors: { type: "boolean", default: false },
    },
    if: { properties: { state: { const: "present" } } },
    then: { required: ["value"] },
  },
  async probe(ctx, args) {
    const proc = procPath(args.name.trim());
    const inspected = await inspectGroups(ctx, [{ paths: [proc, args.sysctl_file], options: { follow: true, content: true } }]);
    const [procState, fileState] = (inspected ?? []) as FileState[];
    // A sysctl_file that is not a regular file is left to the shell, which says why it cannot be read.
    if (inspected && (!fileState.exists || fileState.type === "file")) {
      return {
        ...(procState.exists && procState.type === "file" ? { live: (procState.content ?? Buffer.alloc(0)).toString("utf8").replace(/\t/g, " ").trim() } : {}),
        ...(fileState.exists ? { file: (fileState.content ?? Buffer.alloc(0)).toString("utf8") } : {}),
      };
    }
    const get = await runSections(ctx, [
      { name: "live", command: `[ -f ${shellQuote(proc)} ] || exit 3; tr '\\t' ' ' < ${shellQuote(proc)}` },
      { name: "file", command: catIfExists(args.sysctl_file) },
    ]);
    const live = get("live");
    const file_ = get("file");
    if (live.rc !== 0 && live.rc !== 3) throw new ModuleFailure(`cannot read ${procPath(args.name)} (rc ${live.rc})`);
    if (file_.rc !== 0 && file_.rc !== 3) throw new ModuleFailure(`cannot read ${args.sysctl_file} (rc ${file_.rc})`);
    return {
      ...(live.rc === 0 ? { live: live.text.trim() } : {}),
      ...(file_.rc === 0 ? { file: file_.text } : {}),
    };
  },
  plan: (args, state) => planSysctl({ ...args, name: args.name.trim() }, state),
  async apply(ctx, args, plan) {
    if (plan.fileAfter !== undefined) {
      await writeConfigFile(ctx, args.sysctl_file, plan.fileAfter);
    }
    if (plan.liveAfter !== undefined) {
      const proc = procPath(args.name.trim());
      await runChecked(ctx, `printf '%s\\n' ${shellQuote(plan.liveAfter)} > ${shellQuote(proc)}`, `set ${args.name} to ${plan.liveAfter}`);
    }
  },
});
