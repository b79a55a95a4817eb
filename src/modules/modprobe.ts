// modprobe (community.general.modprobe): load or unload a kernel module and, with `persistent`,
// keep it loaded across reboots. A module built into the kernel counts as present: it cannot be
// loaded, and the job (its sysctls, its netfilter hooks) is already done.
import { shellJoin, shellQuote } from "../engine/shell-quote.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { catIfExists, writeConfigFile } from "./lib/config-file.js";
import { contentDiff, stateDiff } from "./lib/diff.js";
import { runAll } from "./lib/remote.js";
import { runSections, type Section } from "./lib/sections.js";
import type { FileDiff } from "./types.js";

export interface ModprobeArgs {
  name: string;
  state: "present" | "absent";
  params: string;
  persistent: "present" | "absent" | "disabled";
}

export interface ModprobeState {
  loaded: boolean;
  builtin: boolean;
  /** `modprobe -n` finds the module (a loadable module exists for this kernel). */
  available: boolean;
  /** Texts of /etc/modules-load.d/NAME.conf and /etc/modprobe.d/NAME.conf; undefined when absent. */
  loadFile?: string;
  optionsFile?: string;
  /** Other files of /etc/modules-load.d that already load the module (Kubespray writes its own). */
  loadedElsewhere: string[];
}

export interface ModprobePlan extends Plan {
  /** Commands to run, in order (load/unload first, then the persistence files). */
  commands: string[];
  /** Files to write: path -> content. */
  writes: [path: string, content: string][];
}

// Built-in modules that have no /sys/module entry, recognized by what they create.
const BUILTIN_EVIDENCE: Record<string, string> = {
  br_netfilter: "/proc/sys/net/bridge",
  ip_vs: "/proc/sys/net/ipv4/vs",
  nf_conntrack: "/proc/sys/net/netfilter/nf_conntrack_max",
};

/** The kernel spells module names with `_`; users and file names often use `-`. */
export function kernelName(name: string): string {
  return name.replaceAll("-", "_");
}

export function loadFilePath(name: string): string {
  return `/etc/modules-load.d/${name}.conf`;
}

export function optionsFilePath(name: string): string {
  return `/etc/modprobe.d/${name}.conf`;
}

function splitParams(params: string): string[] {
  return params.trim().split(/\s+/).filter(Boolean);
}

function presence(state: ModprobeState): string {
  if (state.builtin) return "built into the kernel";
  return state.loaded ? "loaded" : "not loaded";
}

export function planModprobe(args: ModprobeArgs, state: ModprobeState): ModprobePlan {
  const commands: string[] = [];
  const writes: [string, string][] = [];
  const diff: FileDiff[] = [];
  const header = `kernel module ${args.name}`;
  const params = splitParams(args.params);

  if (args.state === "present" && !state.loaded && !state.builtin) {
    if (!state.available) {
      throw new ModuleFailure(
        `kernel module ${args.name} not found: it is not loaded, not built into the kernel, and modprobe cannot find it for this kernel (is the package with /lib/modules/$(uname -r) installed?)`,
      );
    }
    commands.push(shellJoin(["modprobe", "--", args.name, ...params]));
    diff.push(stateDiff(header, { state: presence(state) }, { state: "loaded" }));
  }
  if (args.state === "absent" && state.builtin) {
    throw new ModuleFailure(`kernel module ${args.name} is built into the kernel and cannot be unloaded`);
  }
  if (args.state === "absent" && state.loaded) {
    commands.push(shellJoin(["modprobe", "-r", "--", args.name]));
    diff.push(stateDiff(header, { state: "loaded" }, { state: "not loaded" }));
  }

  const files: [path: string, before: string | undefined, wanted: string | undefined][] = [];
  if (args.persistent === "present") {
    // As in Ansible, a module another modules-load.d file already loads needs no file of its own.
    if (state.loadedElsewhere.length === 0) files.push([loadFilePath(args.name), state.loadFile, `${args.name}\n`]);
    if (params.length > 0) files.push([optionsFilePath(args.name), state.optionsFile, `options ${args.name} ${params.join(" ")}\n`]);
  } else if (args.persistent === "absent") {
    files.push([loadFilePath(args.name), state.loadFile, undefined], [optionsFilePath(args.name), state.optionsFile, undefined]);
  }
  for (const [path, before, wanted] of files) {
    if (before === wanted) continue;
    if (wanted === undefined) commands.push(`rm -f -- ${shellQuote(path)}`);
    else writes.push([path, wanted]);
    diff.push(contentDiff(path, before, wanted));
  }

  return {
    changed: commands.length > 0 || writes.length > 0,
    commands,
    writes,
    diff,
    result: { name: args.name, params: args.params, state: args.state, builtin: state.builtin },
  };
}

function fileText(section: Section, path: string): string | undefined {
  if (section.rc === 3) return undefined;
  if (section.rc !== 0) throw new ModuleFailure(`cannot read ${path} (rc ${section.rc})`);
  return section.text;
}

export function probeModprobeScript(name: string): { name: string; command: string }[] {
  const k = kernelName(name);
  // modules.builtin lists file paths, spelled with either `-` or `_`.
  const fileRegex = `/${k.replace(/_/g, "[-_]")}\\.ko(\\.[a-z]+)?$`;
  const evidence = BUILTIN_EVIDENCE[k];
  return [
    { name: "loaded", command: `grep -q -- ${shellQuote(`^${k} `)} /proc/modules` },
    {
      name: "builtin",
      command: [
        `[ -d /sys/module/${k} ] && [ ! -e /sys/module/${k}/initstate ] && exit 0`,
        `grep -qE -- ${shellQuote(fileRegex)} "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null && exit 0`,
        evidence ? `[ -e ${evidence} ] && exit 0` : "",
        "exit 1",
      ]
        .filter(Boolean)
        .join("; "),
    },
    { name: "available", command: `command -v modprobe >/dev/null || exit 2; modprobe -n -q -- ${shellQuote(name)} 2>/dev/null` },
    { name: "loadFile", command: catIfExists(loadFilePath(name)) },
    { name: "loadedElsewhere", command: `grep -lxF -- ${shellQuote(name)} /etc/modules-load.d/*.conf 2>/dev/null; true` },
    { name: "optionsFile", command: catIfExists(optionsFilePath(name)) },
  ];
}

export const modprobe = defineOperation<ModprobeArgs, ModprobeState, ModprobePlan>({
  name: "modprobe",
  aliases: ["community.general.modprobe"],
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: { type: "string", pattern: "^[A-Za-z0-9_-]+$" },
      state: { type: "string", enum: ["present", "absent"], default: "present" },
      params: { type: "string", default: "" },
      persistent: { type: "string", enum: ["present", "absent", "disabled"], default: "disabled" },
    },
  },
  async probe(ctx, args) {
    const get = await runSections(ctx, probeModprobeScript(args.name));
    return {
      loaded: get("loaded").rc === 0,
      builtin: get("builtin").rc === 0,
      available: get("available").rc === 0,
      loadFile: fileText(get("loadFile"), loadFilePath(args.name)),
      loadedElsewhere: get("loadedElsewhere").text.split("\n").filter((f) => f !== "" && f !== loadFilePath(args.name)),
      optionsFile: fileText(get("optionsFile"), optionsFilePath(args.name)),
    };
  },
  plan: (args, state) => planModprobe(args, state),
  async apply(ctx, args, plan) {
    await runAll(ctx, plan.commands, `${args.state === "present" ? "load" : "unload"} kernel module ${args.name}`);
    for (const [path, content] of plan.writes) await writeConfigFile(ctx, path, content);
  },
});
