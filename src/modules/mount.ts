// mount (ansible.posix.mount): /etc/fstab entries and what is mounted. Entries are matched as
// Ansible matches them (by mount point; swap entries on `none` also by source), so Kubespray's
// swap-off (`mount: name={{item}} fstype=swap state=absent` for `swap` and `none`) works
// unchanged. Swap entries are "mounted" with swapon and "unmounted" with swapoff.
import { shellJoin } from "../engine/shell-quote.js";
import { catIfExists, writeConfigFile } from "./lib/config-file.js";
import { contentDiff, stateDiff } from "./lib/diff.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runAll } from "./lib/remote.js";
import { runSections } from "./lib/sections.js";
import type { FileDiff } from "./types.js";

export interface MountArgs {
  path: string;
  src?: string;
  fstype?: string;
  opts?: string;
  dump: string;
  passno: string;
  state: "mounted" | "unmounted" | "present" | "absent" | "remounted";
  fstab: string;
  boot: boolean;
}

export interface MountState {
  /** The fstab text; "" when the file does not exist. */
  fstab: string;
  /** Mount points from /proc/mounts (still octal-escaped, as fstab spells them). */
  mountPoints: string[];
  /** Active swap areas from /proc/swaps. */
  swaps: string[];
}

export interface MountPlan extends Plan {
  fstabAfter?: string;
  commands: string[];
}

interface Entry {
  src: string;
  name: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

/** fstab's octal escapes for the characters that would split a field. */
export function escapeFstab(value: string): string {
  return value.replace(/\\/g, "\\134").replace(/ /g, "\\040").replace(/\t/g, "\\011").replace(/\n/g, "\\012");
}

function unescapeFstab(value: string): string {
  return value.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function parseEntry(line: string): Entry | undefined {
  const t = line.trim();
  if (t === "" || t.startsWith("#")) return undefined;
  const f = t.split(/\s+/);
  if (f.length < 4 || f.length > 6) return undefined;
  return { src: f[0], name: f[1], fstype: f[2], opts: f[3], dump: f[4] ?? "0", passno: f[5] ?? "0" };
}

function formatEntry(e: Entry): string {
  return `${e.src} ${e.name} ${e.fstype} ${e.opts} ${e.dump} ${e.passno}`;
}

/** Ansible's matching rule: same mount point, and for swap on `none`, the same source when one is given. */
function matches(entry: Entry, args: MountArgs): boolean {
  if (entry.name !== escapeFstab(args.path)) return false;
  return !(args.src !== undefined && entry.name === "none" && entry.fstype === "swap" && entry.src !== escapeFstab(args.src));
}

function wantedEntry(args: MountArgs): Entry {
  const opts = args.opts ?? "defaults";
  return {
    src: escapeFstab(args.src!),
    name: escapeFstab(args.path),
    fstype: escapeFstab(args.fstype!),
    opts: escapeFstab(args.boot ? opts : opts.split(",").includes("noauto") ? opts : `${opts},noauto`),
    dump: args.dump,
    passno: args.passno,
  };
}

function splitLines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

function joinLines(lines: string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/** fstab with the entry set: every matching line rewritten when a field differs, appended when none matches. */
export function setFstabEntry(text: string, args: MountArgs): string {
  const wanted = wantedEntry(args);
  let found = false;
  const lines = splitLines(text).map((line) => {
    const entry = parseEntry(line);
    if (!entry || !matches(entry, args)) return line;
    found = true;
    const same = (["src", "fstype", "opts", "dump", "passno"] as const).every((k) => entry[k] === wanted[k]);
    return same ? line : formatEntry({ ...wanted, name: entry.name });
  });
  if (!found) lines.push(formatEntry(wanted));
  return joinLines(lines);
}

export function removeFstabEntry(text: string, args: MountArgs): string {
  const lines = splitLines(text).filter((line) => {
    const entry = parseEntry(line);
    return !entry || !matches(entry, args);
  });
  return lines.length === splitLines(text).length ? text : joinLines(lines);
}

/** Swap is "mounted" by source; everything else by mount point. */
function isSwap(args: MountArgs, fstab: string): boolean {
  if (args.fstype !== undefined) return args.fstype === "swap";
  return splitLines(fstab).some((l) => {
    const e = parseEntry(l);
    return e !== undefined && matches(e, args) && e.fstype === "swap";
  });
}

export function planMount(args: MountArgs, state: MountState): MountPlan {
  const swap = isSwap(args, state.fstab);
  if (swap && (args.state === "mounted" || args.state === "unmounted") && args.src === undefined) {
    throw new ModuleFailure(`state=${args.state} on a swap entry needs \`src\` (the swap device or file)`);
  }
  const mounted = swap
    ? args.src !== undefined && state.swaps.includes(args.src)
    : state.mountPoints.includes(escapeFstab(args.path));

  let fstabAfter = state.fstab;
  if (args.state === "present" || args.state === "mounted") fstabAfter = setFstabEntry(state.fstab, args);
  if (args.state === "absent") fstabAfter = removeFstabEntry(state.fstab, args);
  const fstabChanged = fstabAfter !== state.fstab;

  const commands: string[] = [];
  const mount = swap
    ? shellJoin(["swapon", "--", args.src!])
    : `mkdir -p -- ${shellJoin([args.path])} && ${shellJoin(["mount", "-t", args.fstype ?? "auto", "-o", args.opts ?? "defaults", "--", args.src ?? "", args.path])}`;
  const unmount = swap ? shellJoin(["swapoff", "--", args.src ?? args.path]) : shellJoin(["umount", "--", args.path]);
  const remount = shellJoin(["mount", "-o", `remount${args.opts ? `,${args.opts}` : ""}`, "--", args.path]);
  let mountedAfter = mounted;
  if (args.state === "mounted" && !mounted) {
    commands.push(mount);
    mountedAfter = true;
  } else if (args.state === "mounted" && fstabChanged && !swap) {
    commands.push(remount); // new options take effect now, as in Ansible
  } else if ((args.state === "unmounted" || args.state === "absent") && mounted) {
    commands.push(unmount);
    mountedAfter = false;
  } else if (args.state === "remounted") {
    commands.push(mounted ? remount : mount);
    mountedAfter = true;
  }

  const diff: FileDiff[] = [];
  if (fstabChanged) diff.push(contentDiff(args.fstab, state.fstab, fstabAfter));
  if (mountedAfter !== mounted) {
    diff.push(stateDiff(args.path, { mounted: String(mounted) }, { mounted: String(mountedAfter) }));
  }
  return {
    changed: fstabChanged || commands.length > 0,
    commands,
    ...(fstabChanged ? { fstabAfter } : {}),
    diff,
    result: {
      name: args.path,
      ...(args.src !== undefined ? { src: args.src } : {}),
      ...(args.fstype !== undefined ? { fstype: args.fstype } : {}),
      opts: args.opts ?? "defaults",
      dump: args.dump,
      passno: args.passno,
      fstab: args.fstab,
    },
  };
}

function firstFields(text: string): string[] {
  return splitLines(text).map((l) => l.split(/\s+/)[0]);
}

export const mount = defineOperation<MountArgs, MountState, MountPlan>({
  name: "mount",
  aliases: ["ansible.posix.mount"],
  schema: {
    type: "object",
    additionalProperties: false,
    required: ["path", "state"],
    properties: {
      path: { type: "string", minLength: 1, aliases: ["name"] },
      src: { type: "string", minLength: 1 },
      fstype: { type: "string", minLength: 1 },
      opts: { type: "string", minLength: 1 },
      dump: { type: "string", pattern: "^[0-9]+$", default: "0" },
      passno: { type: "string", pattern: "^[0-9]+$", default: "0" },
      state: { type: "string", enum: ["mounted", "unmounted", "present", "absent", "remounted"] },
      fstab: { type: "string", minLength: 1, default: "/etc/fstab" },
      boot: { type: "boolean", default: true },
    },
    // Ansible's required_if: an entry cannot be written without its source and type.
    if: { properties: { state: { enum: ["present", "mounted"] } }, required: ["state"] },
    then: { required: ["src", "fstype"] },
  },
  async probe(ctx, args) {
    const get = await runSections(ctx, [
      { name: "fstab", command: catIfExists(args.fstab) },
      { name: "mounts", command: "cat /proc/mounts" },
      { name: "swaps", command: "tail -n +2 /proc/swaps" },
    ]);
    const fstab = get("fstab");
    if (fstab.rc !== 0 && fstab.rc !== 3) throw new ModuleFailure(`cannot read ${args.fstab} (rc ${fstab.rc})`);
    return {
      fstab: fstab.rc === 0 ? fstab.text : "",
      mountPoints: splitLines(get("mounts").text).map((l) => l.split(" ")[1]),
      swaps: firstFields(get("swaps").text).map(unescapeFstab),
    };
  },
  plan: (args, state) => planMount(args, state),
  async apply(ctx, args, plan) {
    if (plan.fstabAfter !== undefined) await writeConfigFile(ctx, args.fstab, plan.fstabAfter);
    await runAll(ctx, plan.commands, `${args.state} ${args.path}`);
  },
});
