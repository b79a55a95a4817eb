// One remote command reads everything modules need to know about a set of paths: existence,
// type, mode, owner, group, size, mtime, link target and checksum (`stat --printf` + `sha256sum`).
import { shellQuote } from "../../engine/shell-quote.js";
import type { ModuleContext } from "../types.js";
import { inspectGroups } from "./file-inspect.js";
import { ModuleFailure } from "./operation.js";
import { runRemote } from "./remote.js";

export type FileType = "file" | "directory" | "link" | "other";
export type ChecksumAlgorithm = "md5" | "sha1" | "sha224" | "sha256" | "sha384" | "sha512";

export interface PresentFile {
  path: string;
  exists: true;
  type: FileType;
  /** Four octal digits, "0644" (Ansible's format). */
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
  mtime: number;
  /** Link count, inode and device (equal for two hard links to the same file): the shell's probe
   * reads all three; without it, only the link count of a regular file asked for with `linkCounts`. */
  nlink?: number;
  inode?: number;
  device?: number;
  /** Set for regular files when a checksum was asked for and the file was readable. */
  checksum?: string;
  /** Set for symbolic links (when not followed). */
  linkTarget?: string;
  /** A regular file's bytes, when asked for with `content` and read without the shell. */
  content?: Buffer;
}

export interface AbsentFile {
  path: string;
  exists: false;
}

export type FileState = PresentFile | AbsentFile;

export interface ProbeOptions {
  checksum?: ChecksumAlgorithm | false;
  /** Report what a symbolic link points to instead of the link itself (Ansible's `follow`). */
  follow?: boolean;
  /** Also read regular files' bytes. Only inspectGroups does: a shell probe's caller reads them itself. */
  content?: boolean;
}

/** A test on the host deciding whether a probe group runs: `path` is a symbolic link, or does not exist (`[ ! -e ]`). */
export interface ProbeCondition {
  path: string;
  is: "link" | "missing";
}

// Prints exactly one line per path, in order: "absent", "unreadable", or the stat fields, the base64
// link target and the checksum program's own line ("<hex>  -"), separated by "|" (no stat field
// holds "|"; base64 and hex never do). Every program writes straight to stdout: a `$(...)` costs a
// fork per path, and on a no-op run forks on the host are most of the time a probe takes.
const PROBE_FUNCTION = `kplay_probe() {
  p=$1
  if [ ! -e "$p" ] && [ ! -h "$p" ]; then echo absent; return; fi
  if [ "$FOLLOW" = 1 ] && [ -e "$p" ]; then L=-L; else L=; fi
  stat $L --printf '%F|%a|%u|%g|%U|%G|%s|%Y|%h|%i|%d|' -- "$p" 2>/dev/null || { echo unreadable; return; }
  if [ -z "$L" ] && [ -h "$p" ]; then readlink -- "$p" | head -c -1 | base64 -w0; fi
  printf '|'
  if [ -n "$ALG" ] && [ -f "$p" ] && { [ -n "$L" ] || [ ! -h "$p" ]; }; then "\${ALG}sum" < "$p" 2>/dev/null || echo; else echo; fi
}`;

function fileType(statType: string): FileType {
  if (statType.startsWith("regular")) return "file";
  if (statType === "directory") return "directory";
  if (statType === "symbolic link") return "link";
  return "other";
}

function parseLine(path: string, line: string): FileState {
  if (line === "absent") return { path, exists: false };
  if (line === "unreadable") throw new ModuleFailure(`cannot read the state of ${path} (permission denied?)`);
  const f = line.split("|");
  if (f.length < 13) throw new ModuleFailure(`unexpected answer while probing ${path}: ${line}`);
  const [type, mode, uid, gid, owner, group, size, mtime, nlink, inode, device, target, summed] = f;
  const checksum = summed.split(" ")[0];
  return {
    path,
    exists: true,
    type: fileType(type),
    mode: mode.padStart(4, "0"),
    uid: Number(uid),
    gid: Number(gid),
    owner,
    group,
    size: Number(size),
    mtime: Number(mtime),
    nlink: Number(nlink),
    inode: Number(inode),
    device: Number(device),
    ...(checksum ? { checksum } : {}),
    ...(type === "symbolic link" ? { linkTarget: Buffer.from(target, "base64").toString("utf8") } : {}),
  };
}

export interface ProbeGroup {
  paths: readonly string[];
  options?: ProbeOptions;
  /** When false on the host, each path's line says "skipped" (parsed as undefined). */
  onlyIf?: ProbeCondition;
}

function shellCondition({ path, is }: ProbeCondition): string {
  return is === "link" ? `[ -h ${shellQuote(path)} ]` : `[ ! -e ${shellQuote(path)} ]`;
}

/** One script probing groups of paths, each with its options, in order; the probe function is sent once. */
export function probeGroupsScript(groups: readonly ProbeGroup[]): string {
  const loops = groups.map(({ paths, options = {}, onlyIf }) => {
    const quoted = paths.map(shellQuote).join(" ");
    const loop = `ALG=${options.checksum || ""}; FOLLOW=${options.follow ? 1 : 0}; for p in ${quoted}; do kplay_probe "$p"; done`;
    return onlyIf === undefined ? loop : `if ${shellCondition(onlyIf)}; then ${loop}; else for p in ${quoted}; do echo skipped; done; fi`;
  });
  return [PROBE_FUNCTION, ...loops].join("\n");
}

/** The shell script that probes `paths`; exported for modules that add their own probes to the same round trip. */
export function probeFilesScript(paths: readonly string[], options: ProbeOptions = {}): string {
  return probeGroupsScript([{ paths, options }]);
}

/** Parses the first `paths.length` lines printed by probeGroupsScript; undefined for a path an `onlyIf` skipped. */
export function parseGuardedProbeOutput(paths: readonly string[], stdout: string): (FileState | undefined)[] {
  const lines = stdout.split("\n");
  return paths.map((p, i) => (lines[i] === "skipped" ? undefined : parseLine(p, lines[i] ?? "")));
}

/** Parses the first `paths.length` lines printed by probeFilesScript. */
export function parseProbeOutput(paths: readonly string[], stdout: string): FileState[] {
  const lines = stdout.split("\n");
  return paths.map((p, i) => parseLine(p, lines[i] ?? ""));
}

/**
 * The state of each group's paths in order, undefined where an `onlyIf` was false: read without a
 * program on the host where the connection can (see inspectGroups), else by the shell's probe.
 * `linkCounts`: regular files need their nlink (inode and device only the shell's probe reads).
 */
export async function probeGroups(ctx: ModuleContext, groups: readonly ProbeGroup[], options: { linkCounts?: boolean } = {}): Promise<(FileState | undefined)[]> {
  const paths = groups.flatMap((g) => g.paths);
  if (paths.length === 0) return [];
  const inspected = await inspectGroups(ctx, groups, options);
  if (inspected) return inspected;
  const result = await runRemote(ctx, probeGroupsScript(groups));
  if (result.rc !== 0) throw new ModuleFailure(`probing ${paths.join(", ")} failed (rc ${result.rc}): ${result.stderr.trim()}`);
  return parseGuardedProbeOutput(paths, result.stdout);
}

export async function probeFiles(ctx: ModuleContext, paths: readonly string[], options: ProbeOptions = {}): Promise<FileState[]> {
  return (await probeGroups(ctx, [{ paths, options }])) as FileState[];
}

export async function probeFile(ctx: ModuleContext, path: string, options: ProbeOptions = {}): Promise<FileState> {
  const [state] = await probeFiles(ctx, [path], options);
  return state;
}
