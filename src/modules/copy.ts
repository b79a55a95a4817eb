// copy: puts a file, a directory tree or inline content on the host. Files are compared by
// sha256 and uploaded only when they differ; each upload is atomic and can be validated first.
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { shellJoin } from "../engine/shell-quote.js";
import {
  attributeCommands,
  attributeSnapshot,
  hasAttributeChanges,
  planAttributes,
  type AttributeChanges,
  type CurrentAttributes,
} from "./lib/attributes.js";
import { contentDiff, stateDiff } from "./lib/diff.js";
import { probeFile, probeFiles, type FileState, type PresentFile } from "./lib/file-state.js";
import { readLocalSource } from "./lib/local-source.js";
import { formatMode } from "./lib/mode.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runAll } from "./lib/remote.js";
import { checkValidateArg, writeRemoteFile, type FileContent } from "./lib/write-file.js";
import { fetchDiffBefore } from "./lib/diff-before.js";
import type { FileDiff, JsonSchema, ModuleContext } from "./types.js";

export interface CopyArgs {
  src?: string;
  content?: string;
  dest: string;
  mode?: string | number;
  directory_mode?: string | number;
  owner?: string;
  group?: string;
  backup: boolean;
  validate?: string;
  force: boolean;
  remote_src: boolean;
}

/** A file to install: read on the control machine, or (remote_src) already on the host. */
export interface SourceFile {
  /** Path relative to a directory source ("" for a single file), "/"-separated. */
  relative: string;
  mode: number;
  sha256: string;
  /** sha1, Ansible's `checksum` return value; known for control-machine content. */
  sha1?: string;
  size: number;
  content: FileContent;
}

export interface SourceTree {
  kind: "file" | "directory";
  files: SourceFile[];
  directories: string[];
}

export interface CopyProbe {
  source: SourceTree;
  /** Remote state of every path the copy may touch, by path. */
  remote: Map<string, FileState>;
  /** Current content of files that will change, for --diff. */
  before: Map<string, Buffer>;
}

export interface FileWrite {
  dest: string;
  content: FileContent;
  attributes: AttributeChanges;
  current?: CurrentAttributes;
}

export interface CopyPlan extends Plan {
  /** mkdir and attribute commands, run in one round trip. */
  commands: string[];
  writes: FileWrite[];
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    src: { type: "string", minLength: 1 },
    content: { type: "string" },
    dest: { type: "string", minLength: 1 },
    mode: { type: ["string", "integer"] },
    directory_mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
    backup: { type: "boolean", default: false },
    validate: { type: "string" },
    force: { type: "boolean", default: true, aliases: ["thirsty"] },
    remote_src: { type: "boolean", default: false },
  },
  required: ["dest"],
  anyOf: [{ required: ["src"] }, { required: ["content"] }],
  not: { required: ["src", "content"] },
  additionalProperties: false,
};

const NEW_DIRECTORY_MODE = 0o755;
const NEW_FILE_MODE = 0o644;

export function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Where each source file lands, as Ansible decides it. */
export interface Layout {
  /** Remote directories to create, parents first. */
  directories: string[];
  files: Array<{ dest: string; source: SourceFile }>;
}

/**
 * Ansible's rules: a file copied onto an existing directory (or a dest ending in "/") goes inside
 * it under its own name; a directory `src/` copies its contents into dest, `src` (no slash) copies
 * the directory itself into dest.
 */
export function layout(args: CopyArgs, source: SourceTree, destIsDirectory: boolean): Layout {
  const dest = args.dest;
  if (source.kind === "file") {
    const into = args.src !== undefined && (dest.endsWith("/") || destIsDirectory);
    const target = into ? posix.join(dest, posix.basename(args.src!)) : dest;
    const directories = dest.endsWith("/") && args.src !== undefined ? [posix.normalize(dest).replace(/\/$/, "") || "/"] : [];
    return { directories, files: [{ dest: target, source: source.files[0] }] };
  }
  const base = args.src!.endsWith("/") ? dest : posix.join(dest, posix.basename(args.src!));
  const root = posix.normalize(base).replace(/(.)\/$/, "$1");
  return {
    directories: [root, ...source.directories.map((d) => posix.join(root, d))],
    files: source.files.map((f) => ({ dest: posix.join(root, f.relative), source: f })),
  };
}

/** Every remote path whose state the plan needs: dest itself and both places a file may land. */
function pathsToProbe(args: CopyArgs, source: SourceTree): string[] {
  const paths = new Set([args.dest]);
  for (const isDir of [false, true]) {
    const l = layout(args, source, isDir);
    for (const p of [...l.directories, ...l.files.map((f) => f.dest)]) paths.add(p);
    for (const f of l.files) paths.add(posix.dirname(f.dest));
  }
  return [...paths];
}

function wantedMode(args: CopyArgs, localMode: number): string | number | undefined {
  return args.mode === "preserve" ? formatMode(localMode) : args.mode;
}

export function planCopy(args: CopyArgs, probe: CopyProbe): CopyPlan {
  const destState = probe.remote.get(args.dest);
  const destIsDirectory = destState?.exists === true && destState.type === "directory";
  if (args.content !== undefined && destIsDirectory) throw new ModuleFailure(`can not use content with a dir as dest (${args.dest})`);
  const l = layout(args, probe.source, destIsDirectory);
  const commands: string[] = [];
  const writes: FileWrite[] = [];
  const diff: FileDiff[] = [];
  const owner = { owner: args.owner, group: args.group };

  for (const dir of l.directories) {
    const state = probe.remote.get(dir);
    if (state?.exists && state.type !== "directory") throw new ModuleFailure(`${dir} exists and is not a directory`);
    const current = state?.exists ? (state as PresentFile) : undefined;
    const mode = current ? undefined : args.directory_mode;
    const attrs = planAttributes(dir, { ...owner, mode }, current, { mode: NEW_DIRECTORY_MODE, isDirectory: true });
    if (!current) {
      commands.push(shellJoin(["mkdir", "-p", "--", dir]));
      diff.push(stateDiff(dir, { state: "absent" }, { state: "directory" }));
    }
    commands.push(...attributeCommands(attrs));
  }

  for (const f of l.files) {
    const state = probe.remote.get(f.dest);
    const parent = probe.remote.get(posix.dirname(f.dest));
    const parentComing = l.directories.includes(posix.dirname(f.dest));
    if (!parentComing && parent && !parent.exists) throw new ModuleFailure(`Destination directory ${posix.dirname(f.dest)} does not exist`);
    if (state?.exists && state.type === "directory") throw new ModuleFailure(`${f.dest} is a directory; cannot copy a file over it`);
    const current = state?.exists ? (state as PresentFile) : undefined;
    const mode = wantedMode(args, f.source.mode);
    const attrs = planAttributes(f.dest, { ...owner, mode }, current, { mode: NEW_FILE_MODE, isDirectory: false });
    const contentDiffers = !current || current.checksum !== f.source.sha256;
    if (contentDiffers && (args.force || !current)) {
      writes.push({ dest: f.dest, content: f.source.content, attributes: attrs, ...(current ? { current } : {}) });
      const after = typeof f.source.content === "string" || Buffer.isBuffer(f.source.content) ? f.source.content : `(content of ${args.src})\n`;
      diff.push(contentDiff(f.dest, current ? (probe.before.get(f.dest) ?? `(${current.size} bytes)\n`) : undefined, after));
    } else if (hasAttributeChanges(attrs)) {
      commands.push(...attributeCommands(attrs));
      diff.push(stateDiff(f.dest, attributeSnapshot(attrs, 0), attributeSnapshot(attrs, 1)));
    }
  }

  const single = l.files.length === 1 && probe.source.kind === "file" ? l.files[0] : undefined;
  return {
    changed: commands.length > 0 || writes.length > 0,
    commands,
    writes,
    diff,
    result: {
      dest: single ? single.dest : args.dest,
      ...(args.src !== undefined ? { src: args.src } : {}),
      ...(single?.source.sha1 ? { checksum: single.source.sha1 } : {}),
      ...(single ? { size: single.source.size } : {}),
    },
  };
}

/** A source made of bytes from the control machine (a file, inline content, a rendered template). */
export function localSourceFile(relative: string, content: Buffer, mode: number): SourceFile {
  return {
    relative,
    mode,
    sha256: sha256(content),
    sha1: createHash("sha1").update(content).digest("hex"),
    size: content.length,
    content,
  };
}

async function readSource(ctx: ModuleContext, args: CopyArgs): Promise<SourceTree> {
  if (args.content !== undefined) return { kind: "file", files: [localSourceFile("", Buffer.from(args.content), NEW_FILE_MODE)], directories: [] };
  if (args.remote_src) {
    const src = await probeFile(ctx, args.src!, { checksum: "sha256", follow: true });
    if (!src.exists) throw new ModuleFailure(`Source ${args.src} not found`);
    if (src.type !== "file") throw new ModuleFailure(`remote_src: ${args.src} is not a regular file (copying directories on the host is not supported; use command: cp -a)`);
    const remote: SourceFile = { relative: "", mode: parseInt(src.mode, 8), sha256: src.checksum ?? "", size: src.size, content: { remotePath: args.src!, mode: src.mode } };
    return { kind: "file", files: [remote], directories: [] };
  }
  const tree = await readLocalSource(ctx.findFile(args.src!, "files"), args.src!);
  return { kind: tree.kind, directories: tree.directories, files: tree.files.map((f) => localSourceFile(f.relative, f.content, f.mode)) };
}

/** One round trip for the state of every path the copy may touch; under --diff, a second for old contents. */
export async function probeCopyTargets(ctx: ModuleContext, args: CopyArgs, source: SourceTree): Promise<CopyProbe> {
  const states = await probeFiles(ctx, pathsToProbe(args, source), { checksum: "sha256", follow: true });
  const remote = new Map(states.map((s) => [s.path, s]));
  const wanted = new Set(source.files.map((f) => f.sha256));
  const changing = states.filter((s) => s.exists && s.type === "file" && s.checksum && !wanted.has(s.checksum));
  return { source, remote, before: ctx.diff ? await fetchDiffBefore(ctx, changing) : new Map() };
}

/** Writes planned files and runs the batched commands: directories first, files, then attributes. */
export async function applyFileWrites(
  ctx: ModuleContext,
  plan: { commands: string[]; writes: FileWrite[] },
  options: { backup: boolean; validate?: string; what: string },
): Promise<{ backup_file?: string }> {
  await runAll(ctx, plan.commands, options.what);
  let backup: { backup_file?: string } = {};
  for (const w of plan.writes) {
    const written = await writeRemoteFile(ctx, w.dest, w.content, {
      attributes: w.attributes,
      ...(w.current ? { current: w.current } : {}),
      backup: options.backup,
      ...(options.validate ? { validate: options.validate } : {}),
    });
    backup = written.backup_file ? written : backup;
  }
  return backup;
}

export const copy = defineOperation<CopyArgs, CopyProbe, CopyPlan>({
  name: "copy",
  schema,
  async probe(ctx, args) {
    checkValidateArg(args.validate);
    return probeCopyTargets(ctx, args, await readSource(ctx, args));
  },
  plan: (args, probe) => planCopy(args, probe),
  apply: (ctx, args, plan) =>
    applyFileWrites(ctx, plan, { backup: args.backup, ...(args.validate ? { validate: args.validate } : {}), what: `copy to ${args.dest}` }),
});
