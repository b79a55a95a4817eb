// file: a path's kind (file, directory, link, hard link, absent, touched) and its mode/owner/group,
// with Ansible's arguments and refusals (no silent file-to-link conversion without `force`).
import { posix } from "node:path";
import { shellJoin, shellQuote } from "../engine/shell-quote.js";
import {
  attributeCommands,
  planAttributes,
  type AttributeChanges,
  type WantedAttributes,
} from "./lib/attributes.js";
import { stateDiff } from "./lib/diff.js";
import { parseGuardedProbeOutput, probeGroups, probeGroupsScript, type FileState, type PresentFile, type ProbeGroup } from "./lib/file-state.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runAll, runRemote } from "./lib/remote.js";
import type { JsonSchema } from "./types.js";

export type FileStateName = "file" | "directory" | "link" | "hard" | "touch" | "absent";

export interface FileArgs extends WantedAttributes {
  path: string;
  state?: FileStateName;
  recurse: boolean;
  src?: string;
  force: boolean;
  follow: boolean;
}

/** A directory entry below a `recurse`d directory. */
export interface TreeEntry {
  path: string;
  type: "file" | "directory" | "other";
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
}

export interface FileProbe {
  /** The path itself (a link is reported as a link). */
  path: FileState;
  /** What the path resolves to when it is a link (equal to `path` otherwise). */
  followed: FileState;
  /** The link source, for state link/hard (relative sources resolved against the link's directory). */
  src?: FileState;
  /** Everything below the directory, for `recurse` (links are not followed or changed). */
  tree: TreeEntry[];
  /** For state=directory: the path's ancestors, outermost first; the missing ones get created too. */
  ancestors: FileState[];
}

export interface FilePlan extends Plan {
  commands: string[];
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string", minLength: 1, aliases: ["dest", "name"] },
    state: { type: "string", enum: ["file", "directory", "link", "hard", "touch", "absent"] },
    mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
    recurse: { type: "boolean", default: false },
    src: { type: "string" },
    force: { type: "boolean", default: false },
    follow: { type: "boolean", default: true },
  },
  required: ["path"],
  additionalProperties: false,
};

// Default umask 022: what mkdir and touch create when no mode is asked for.
const NEW_DIRECTORY_MODE = 0o755;
const NEW_FILE_MODE = 0o644;

/** Ansible's names for what a path is now: `hard` is a file with more than one link. */
function stateName(s: FileState): FileStateName | "other" {
  if (!s.exists) return "absent";
  // The probe reads link counts for every regular file (linkCounts).
  if (s.type === "file") return (s.nlink ?? 1) > 1 ? "hard" : "file";
  if (s.type === "other") return "other";
  return s.type;
}

/** "/a/b/c" -> ["/a", "/a/b"]: the directories mkdir -p may have to create. */
export function ancestorsOf(path: string): string[] {
  const parts = posix.normalize(path).split("/").filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `${posix.isAbsolute(path) ? "/" : ""}${parts.slice(0, i + 1).join("/")}`);
}

export function linkSourcePath(path: string, src: string): string {
  return posix.isAbsolute(src) ? src : posix.join(posix.dirname(path), src);
}

// `stat --printf` records, NUL-terminated so any file name survives; links are skipped.
function treeScript(path: string): string {
  return `find ${shellJoin([path])} -mindepth 1 ! -type l -exec stat --printf '%a|%u|%g|%U|%G|%F|%n\\0' {} +`;
}

function parseTree(output: string): TreeEntry[] {
  return output
    .split("\0")
    .filter((r) => r !== "")
    .map((record) => {
      const [mode, uid, gid, owner, group, type, ...name] = record.split("|");
      return {
        path: name.join("|"),
        type: type === "directory" ? "directory" : type.startsWith("regular") ? "file" : "other",
        mode: mode.padStart(4, "0"),
        uid: Number(uid),
        gid: Number(gid),
        owner,
        group,
      };
    });
}

function wantedState(args: FileArgs, probe: FileProbe): FileStateName {
  if (args.state) return args.state;
  const current = stateName(probe.path);
  if (current === "absent") return args.recurse ? "directory" : "file";
  return current === "other" ? "file" : current;
}

function fail(message: string, args: FileArgs): never {
  throw new ModuleFailure(message, { path: args.path, ...(args.src ? { src: args.src } : {}) });
}

function attributesOf(args: FileArgs): WantedAttributes {
  return { mode: args.mode, owner: args.owner, group: args.group };
}

interface Steps {
  commands: string[];
  before: Record<string, string | undefined>;
  after: Record<string, string | undefined>;
}

function addAttributes(steps: Steps, changes: AttributeChanges): void {
  steps.commands.push(...attributeCommands(changes));
  for (const key of ["mode", "owner", "group"] as const) {
    const change = changes[key];
    if (!change) continue;
    steps.before[key] ??= change[0] || undefined;
    steps.after[key] = change[1];
  }
}

function planRecurse(args: FileArgs, tree: TreeEntry[], steps: Steps): void {
  const byMode = new Map<string, string[]>();
  const ownerFix: string[] = [];
  for (const entry of tree) {
    const changes = planAttributes(entry.path, attributesOf(args), entry, { mode: 0, isDirectory: false });
    if (changes.mode) byMode.set(changes.mode[1], [...(byMode.get(changes.mode[1]) ?? []), entry.path]);
    if (changes.owner || changes.group) ownerFix.push(entry.path);
  }
  if (ownerFix.length > 0) {
    const who = args.owner && args.group ? `${args.owner}:${args.group}` : (args.owner ?? `:${args.group}`);
    steps.commands.push(shellJoin(["chown", "--", who, ...ownerFix]));
  }
  for (const [mode, paths] of byMode) steps.commands.push(shellJoin(["chmod", "--", mode, ...paths]));
  const updated = new Set([...ownerFix, ...[...byMode.values()].flat()]).size;
  if (updated > 0) steps.after.recursed = `${updated} path(s) below updated`;
}

function planLink(args: FileArgs, probe: FileProbe, steps: Steps): void {
  const current = probe.path;
  const prev = stateName(current);
  const src = args.src;
  if (src === undefined) {
    if (prev !== "link") fail("src is required for creating new symlinks", args);
  } else {
    if (!args.force && !probe.src?.exists) {
      fail(`src file does not exist, use "force=yes" if you really want to create the link: ${linkSourcePath(args.path, src)}`, args);
    }
    if (prev === "directory" && !args.force) fail(`refusing to convert from directory to symlink for ${args.path}`, args);
    if ((prev === "file" || prev === "hard" || prev === "other") && !args.force) {
      fail(`refusing to convert from ${prev} to symlink for ${args.path}`, args);
    }
    if (prev !== "link" || (current.exists && current.linkTarget !== src)) {
      if (current.exists && current.type === "link") steps.before.src = current.linkTarget;
      steps.after.src = src;
      steps.commands.push(
        ...(prev === "directory" ? [shellJoin(["rmdir", "--", args.path])] : []),
        shellJoin(["ln", "-sfn", "--", src, args.path]),
      );
    }
  }
  const existing = steps.commands.length === 0 ? (current as PresentFile) : undefined;
  const changes = planAttributes(args.path, { owner: args.owner, group: args.group }, existing, { mode: 0o777, isDirectory: false });
  changes.isLink = true;
  addAttributes(steps, changes);
}

function planHard(args: FileArgs, probe: FileProbe, steps: Steps): void {
  const current = probe.path;
  const prev = stateName(current);
  if (args.src === undefined) {
    if (prev !== "hard") fail("src is required for creating new hardlinks", args);
  } else {
    const src = probe.src;
    if (!src?.exists) fail("src does not exist", args);
    const same = current.exists && current.inode === src.inode && current.device === src.device;
    if (!same) {
      if ((prev === "file" || prev === "directory") && !args.force) fail(`Cannot link, ${prev} exists at destination`, args);
      if (prev === "hard" && !args.force) fail("Cannot link, different hard link exists at destination", args);
      steps.after.src = args.src;
      steps.commands.push(
        ...(prev === "directory" ? [shellJoin(["rmdir", "--", args.path])] : []),
        shellJoin(["ln", "-f", "--", linkSourcePath(args.path, args.src), args.path]),
      );
    }
  }
  const target = steps.commands.length === 0 ? (current as PresentFile) : (probe.src as PresentFile);
  addAttributes(steps, planAttributes(args.path, attributesOf(args), target, { mode: NEW_FILE_MODE, isDirectory: false }));
}

export function planFile(args: FileArgs, probe: FileProbe): FilePlan {
  const want = wantedState(args, probe);
  const prev = stateName(probe.path);
  const steps: Steps = { commands: [], before: { state: prev }, after: { state: want } };
  // file, directory and touch act on what a link points to (follow); link/hard/absent on the path itself.
  const target = args.follow && probe.path.exists && probe.path.type === "link" && probe.followed.exists ? probe.followed : probe.path;
  const targetState = stateName(target);
  switch (want) {
    case "absent":
      if (prev !== "absent") steps.commands.push(shellJoin(["rm", "-rf", "--", args.path]));
      break;
    case "file":
      if (targetState === "absent") fail(`file (${args.path}) is absent, cannot continue`, args);
      if (targetState !== "file" && targetState !== "hard") fail(`file (${args.path}) is ${targetState}, cannot continue`, args);
      addAttributes(steps, planAttributes(args.path, attributesOf(args), target as PresentFile, { mode: 0, isDirectory: false }));
      break;
    case "directory":
      if (targetState === "absent") {
        steps.commands.push(shellJoin(["mkdir", "-p", "--", args.path]));
        // Like Ansible, every directory this creates gets the attributes, not only the last.
        for (const created of [...probe.ancestors.filter((a) => !a.exists).map((a) => a.path), args.path]) {
          const changes = planAttributes(created, attributesOf(args), undefined, { mode: NEW_DIRECTORY_MODE, isDirectory: true });
          if (created === args.path) addAttributes(steps, changes);
          else steps.commands.push(...attributeCommands(changes));
        }
        break;
      }
      if (targetState !== "directory") fail(`${args.path} already exists as a ${targetState}`, args);
      addAttributes(steps, planAttributes(args.path, attributesOf(args), target as PresentFile, { mode: 0, isDirectory: true }));
      if (args.recurse) planRecurse(args, probe.tree, steps);
      break;
    case "touch":
      // Like Ansible: touching always changes the timestamps, so it always reports changed.
      steps.commands.push(shellJoin(["touch", "--", args.path]));
      addAttributes(
        steps,
        planAttributes(args.path, attributesOf(args), target.exists ? (target as PresentFile) : undefined, {
          mode: NEW_FILE_MODE,
          isDirectory: false,
        }),
      );
      break;
    case "link":
      planLink(args, probe, steps);
      break;
    case "hard":
      planHard(args, probe, steps);
      break;
  }
  const changed = steps.commands.length > 0;
  return {
    changed,
    commands: steps.commands,
    result: { path: args.path, state: want, ...(args.src !== undefined ? { src: args.src } : {}) },
    ...(changed ? { diff: [stateDiff(args.path, { path: args.path, ...steps.before }, { path: args.path, ...steps.after })] } : {}),
  };
}

export const file = defineOperation<FileArgs, FileProbe, FilePlan>({
  name: "file",
  schema,
  async probe(ctx, args) {
    const linking = args.state === "link" || args.state === "hard";
    const src = linking && args.src !== undefined ? linkSourcePath(args.path, args.src) : undefined;
    const ancestors = args.state === "directory" || (args.state === undefined && args.recurse) ? ancestorsOf(args.path) : [];
    // Each probed path costs forks on the host: the followed state matters only for a link, the
    // ancestors only when the path is missing (they are the directories `mkdir -p` creates).
    const groups: ProbeGroup[] = [{ paths: [args.path] }, { paths: [args.path], options: { follow: true }, onlyIf: { path: args.path, is: "link" } }];
    if (src) groups.push({ paths: [src] });
    if (ancestors.length > 0) groups.push({ paths: ancestors, onlyIf: { path: args.path, is: "missing" } });
    // A hard link compares inodes and a tree is listed by find: both only the shell's probe reads.
    let states: (FileState | undefined)[];
    let tree: TreeEntry[] = [];
    if (args.state === "hard" || args.recurse) {
      const r = await runRemote(ctx, [probeGroupsScript(groups), ...(args.recurse ? [treeScript(args.path)] : [])].join("\n"));
      const probed = groups.flatMap((g) => g.paths);
      states = parseGuardedProbeOutput(probed, r.stdout);
      if (args.recurse) tree = parseTree(r.stdout.slice(r.stdout.split("\n", probed.length).join("\n").length + 1));
    } else {
      states = await probeGroups(ctx, groups, { linkCounts: true });
    }
    const path = states[0]!;
    return {
      path,
      followed: states[1] ?? path,
      ...(src ? { src: states[2]! } : {}),
      ancestors: states.slice(src ? 3 : 2).filter((a): a is FileState => a !== undefined),
      tree,
    };
  },
  plan: (args, probe) => planFile(args, probe),
  async apply(ctx, args, plan) {
    await runAll(ctx, plan.commands, `set ${args.path} to state ${String(plan.result?.state)}`);
  },
});

