// unarchive: unpacks a tar (plain, gz, xz, bz2) or zip archive into a directory on the host.
// Idempotent by content: the archive is unpacked into a scratch directory and its files'
// sha256 sums are checked against dest; only a difference unpacks into dest for real.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { posix } from "node:path";
import { shellJoin, shellQuote } from "../engine/shell-quote.js";
import { attributeLines, hasAttributeChanges, planAttributes, type CurrentAttributes, type WantedAttributes } from "./lib/attributes.js";
import { stateDiff } from "./lib/diff.js";
import { formatMode, resolveMode } from "./lib/mode.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runChecked, runRemote } from "./lib/remote.js";
import type { JsonSchema, ModuleContext } from "./types.js";

export interface UnarchiveArgs extends WantedAttributes {
  src: string;
  dest: string;
  remote_src: boolean;
  creates?: string;
  extra_opts: string[];
  include: string[];
  exclude: string[];
  list_files: boolean;
}

export type ArchiveFormat = "tar" | "zip";

export interface UnarchiveProbe {
  /** Where the archive is on the host (a temp upload unless remote_src). */
  archive: string;
  format: ArchiveFormat;
  uploaded: boolean;
  outcome: "skipped" | "no-dest" | "no-archive" | "compared";
  /** Paths in the archive after extra_opts/include/exclude, relative to dest ("dir/", "dir/file"). */
  members: string[];
  /** Files whose content differs from dest or that dest lacks. */
  differing: string[];
  /** Members as dest has them now (probed only when mode/owner/group are asked for). */
  current: MemberState[];
}

export interface MemberState extends CurrentAttributes {
  /** Relative to dest, as in `members`. */
  path: string;
}

export interface UnarchivePlan extends Plan {
  /** Extract the archive into dest (some content differs). */
  extract: boolean;
  /** Members whose mode/owner/group are to be set. */
  fix: string[];
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    src: { type: "string", minLength: 1 },
    dest: { type: "string", minLength: 1 },
    remote_src: { type: "boolean", default: false },
    creates: { type: "string" },
    extra_opts: { type: "array", items: { type: "string" }, default: [] },
    include: { type: "array", items: { type: "string" }, default: [] },
    exclude: { type: "array", items: { type: "string" }, default: [] },
    list_files: { type: "boolean", default: false },
    mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
  },
  required: ["src", "dest"],
  additionalProperties: false,
};

export function archiveFormat(name: string): ArchiveFormat {
  return /\.zip$/i.test(name) ? "zip" : "tar";
}

/** The extraction command into `$into`; GNU tar recognizes gzip/xz/bzip2 compression by itself. */
export function extractCommand(args: UnarchiveArgs, archive: string, format: ArchiveFormat): string {
  if (format === "zip") {
    const exclude = args.exclude.length ? ["-x", ...args.exclude] : [];
    return `unzip -q -o ${shellJoin([...args.extra_opts, archive, ...args.include, ...exclude])} -d "$into"`;
  }
  const exclude = args.exclude.map((e) => `--exclude=${e}`);
  return `tar -x -f ${shellQuote(archive)} -C "$into" ${shellJoin([...args.extra_opts, ...exclude, ...args.include])}`;
}

function attributesWanted(args: UnarchiveArgs): boolean {
  return args.mode !== undefined || args.owner !== undefined || args.group !== undefined;
}

// Exit codes of the probe script.
const NO_DEST = 40;
const NO_ARCHIVE = 41;

/**
 * One script: unpack into a scratch directory, list what came out, and check each file's
 * sha256 against dest. Prints "M <path>" per member (directories end in "/") and "D <path>"
 * per file that dest lacks or has with other content. An uploaded archive is removed here
 * when nothing will be extracted (or in check mode), saving a round trip.
 */
function probeScript(args: UnarchiveArgs, archive: string, format: ArchiveFormat, upload: { uploaded: boolean; check: boolean }): string {
  const q = shellQuote(archive);
  return [
    `drop=${upload.uploaded && upload.check ? 1 : 0} into=`,
    `cleanup() { if [ -n "$into" ]; then rm -rf "$into" "$into.sums"; fi; if [ "$drop" = 1 ]; then rm -f ${q}; fi; }`,
    `[ -d ${shellQuote(args.dest)} ] || { drop=${upload.uploaded ? 1 : 0}; cleanup; exit ${NO_DEST}; }`,
    `[ -f ${q} ] || exit ${NO_ARCHIVE}`,
    `into=$(mktemp -d) || exit 1`,
    `trap cleanup EXIT`,
    `${extractCommand(args, archive, format)} || exit 1`,
    `cd "$into" || exit 1`,
    `find . -mindepth 1 -type d -exec printf 'M %s/\\n' {} + | sed 's#^M \\./#M #'`,
    `find . ! -type d -exec printf 'M %s\\n' {} + | sed 's#^M \\./#M #'`,
    `find . -type f -exec sha256sum {} + > "$into.sums" || exit 1`,
    `diffs=$(cd ${shellQuote(args.dest)} && sha256sum --quiet -c "$into.sums" 2>/dev/null | sed -n 's#^\\./\\(.*\\): .*#D \\1#p')`,
    ...(attributesWanted(args)
      ? [`find . -mindepth 1 -exec sh -c 'cd "$0" && for p; do stat -c "A %a|%U|%G|%u|%g|%F|%n" -- "$p" 2>/dev/null; done' ${shellQuote(args.dest)} {} +`]
      : []),
    `if [ -n "$diffs" ]; then printf '%s\\n' "$diffs"; elif [ ${upload.uploaded ? 1 : 0} = 1 ]; then drop=1; fi`,
  ].join("\n");
}

export function parseProbeListing(stdout: string): Pick<UnarchiveProbe, "members" | "differing" | "current"> {
  const members: string[] = [];
  const differing: string[] = [];
  const current: MemberState[] = [];
  for (const line of stdout.split("\n")) {
    if (line.startsWith("M ")) members.push(line.slice(2));
    else if (line.startsWith("D ")) differing.push(line.slice(2));
    else if (line.startsWith("A ")) {
      const [mode, owner, group, uid, gid, type, ...name] = line.slice(2).split("|");
      const isDirectory = type === "directory";
      current.push({
        path: `${name.join("|").replace(/^\.\//, "")}${isDirectory ? "/" : ""}`,
        type: isDirectory ? "directory" : type.startsWith("regular") ? "file" : type === "symbolic link" ? "link" : "other",
        mode: mode.padStart(4, "0"),
        owner,
        group,
        uid: Number(uid),
        gid: Number(gid),
      });
    }
  }
  return { members: members.sort(), differing: differing.sort(), current };
}

async function uploadArchive(ctx: ModuleContext, args: UnarchiveArgs): Promise<{ archive: string; format: ArchiveFormat }> {
  const local = ctx.findFile(args.src, "files");
  const content = await readFile(local).catch(() => {
    throw new ModuleFailure(`could not find or access '${args.src}' on the control machine (looked at ${local})`);
  });
  const format = content.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1")) ? "zip" : archiveFormat(args.src);
  const archive = `/tmp/.kplay-unarchive-${randomBytes(8).toString("hex")}${format === "zip" ? ".zip" : ".tar"}`;
  await ctx.conn.put(content, archive, { mode: "0600", ...(ctx.become ? { become: ctx.become } : {}) });
  return { archive, format };
}

export function planUnarchive(args: UnarchiveArgs, probe: UnarchiveProbe): UnarchivePlan {
  if (probe.outcome === "skipped") return { changed: false, extract: false, fix: [], msg: `skipped, since ${args.creates} exists`, result: { dest: args.dest } };
  if (probe.outcome === "no-dest") throw new ModuleFailure(`dest '${args.dest}' must be an existing dir`);
  if (probe.outcome === "no-archive") throw new ModuleFailure(`Source '${args.src}' does not exist`);
  const wanted: WantedAttributes = { mode: args.mode, owner: args.owner, group: args.group };
  const extract = probe.differing.length > 0;
  const drift = probe.current
    .filter((m) => m.type !== "link")
    .map((m) => planAttributes(m.path, wanted, m, { mode: 0, isDirectory: m.type === "directory" }))
    .filter(hasAttributeChanges);
  // Extracting rewrites modes from the archive: then every member needs the attributes again.
  const fix = !attributesWanted(args) ? [] : extract ? probe.members : drift.map((c) => c.path);
  const before = Object.fromEntries(drift.map((c) => [c.path, attributeLines(c, 0).trim().replaceAll("\n", ", ")]));
  const after = {
    ...Object.fromEntries(drift.map((c) => [c.path, attributeLines(c, 1).trim().replaceAll("\n", ", ")])),
    ...Object.fromEntries(probe.differing.map((f) => [f, "extracted"])),
  };
  const changed = extract || fix.length > 0;
  return {
    changed,
    extract,
    fix,
    result: { dest: args.dest, src: args.src, ...(args.list_files ? { files: probe.members } : {}) },
    ...(changed
      ? {
          diff: [stateDiff(args.dest, before, after)],
          msg: extract ? `${probe.differing.length} file(s) to extract` : `attributes of ${fix.length} path(s) to set`,
        }
      : {}),
  };
}

/** mode/owner/group on every extracted path, as Ansible sets them, in one chown and one chmod. */
export function memberAttributeCommands(args: UnarchiveArgs, members: string[]): string[] {
  if (members.length === 0) return [];
  const paths = members.map((m) => posix.join(args.dest, m).replace(/(.)\/$/, "$1"));
  const commands: string[] = [];
  if (args.owner !== undefined || args.group !== undefined) {
    commands.push(shellJoin(["chown", "--", `${args.owner ?? ""}${args.group !== undefined ? `:${args.group}` : ""}`, ...paths]));
  }
  if (args.mode !== undefined) {
    // Symbolic modes go to chmod as they are: each path's own bits are what they change.
    const mode = typeof args.mode === "number" || /^[0-7]+$/.test(args.mode) ? formatMode(resolveMode(args.mode, 0, false)) : args.mode;
    commands.push(shellJoin(["chmod", "--", mode, ...paths]));
  }
  return commands;
}

export const unarchive = defineOperation<UnarchiveArgs, UnarchiveProbe, UnarchivePlan>({
  name: "unarchive",
  schema,
  async probe(ctx, args) {
    if (args.creates !== undefined) {
      const exists = await runRemote(ctx, `[ -e ${shellQuote(args.creates)} ] || [ -h ${shellQuote(args.creates)} ]`);
      if (exists.rc === 0) return { archive: args.src, format: "tar", uploaded: false, outcome: "skipped", members: [], differing: [], current: [] };
    }
    const { archive, format } = args.remote_src ? { archive: args.src, format: archiveFormat(args.src) } : await uploadArchive(ctx, args);
    const uploaded = !args.remote_src;
    const r = await runRemote(ctx, probeScript(args, archive, format, { uploaded, check: ctx.check }));
    const base = { archive, format, uploaded, members: [], differing: [], current: [] };
    if (r.rc === NO_DEST) return { ...base, outcome: "no-dest" };
    if (r.rc === NO_ARCHIVE) return { ...base, outcome: "no-archive" };
    if (r.rc !== 0) {
      if (uploaded) await runRemote(ctx, `rm -f ${shellQuote(archive)}`);
      throw new ModuleFailure(`unpacking ${args.src} failed (rc ${r.rc}): ${r.stderr.trim()}`, { rc: r.rc, stderr: r.stderr });
    }
    return { ...base, outcome: "compared", ...parseProbeListing(r.stdout) };
  },
  plan: (args, probe) => planUnarchive(args, probe),
  async apply(ctx, args, plan, probe) {
    const script = [
      `into=${shellQuote(args.dest)}`,
      ...(probe.uploaded ? [`trap 'rm -f -- "$archive"' EXIT`, `archive=${shellQuote(probe.archive)}`] : []),
      ...(plan.extract ? [`${extractCommand(args, probe.archive, probe.format)} || exit 1`] : []),
      ...memberAttributeCommands(args, plan.fix).map((c) => `${c} || exit 1`),
    ].join("\n");
    await runChecked(ctx, script, `unpack ${args.src} into ${args.dest}`);
  },
});
