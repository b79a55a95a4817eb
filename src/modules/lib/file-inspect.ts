// File probes without a program on the host: Connection.inspect (SFTP, or the local file system)
// describes the paths, and the result is what the shell's `stat` probe would have printed. Any
// path it cannot describe sends the whole probe back to the shell, so the answer never differs.
import { createHash } from "node:crypto";
import { isDirectory, isLink, isRegular } from "../../engine/connection/inspect-paths.js";
import type { InspectRequest, PathInfo } from "../../engine/connection/types.js";
import type { ModuleContext } from "../types.js";
import { accountFileRequests, accountNames, type AccountNames } from "./account-names.js";
import type { FileState, FileType, ProbeCondition, ProbeGroup, ProbeOptions } from "./file-state.js";

/** Checksums and texts come over SFTP for files up to this size; larger ones are summed on the host. */
export const INSPECT_READ_LIMIT = 1024 * 1024;

function fileType(mode: number): FileType {
  if (isRegular(mode)) return "file";
  if (isDirectory(mode)) return "directory";
  if (isLink(mode)) return "link";
  return "other";
}

/**
 * Whether the login user's view (what SFTP shows) answers for the task's user: it does for the
 * login user and for root, who may read whatever the login user can; another become user may not.
 */
export function inspectable(ctx: ModuleContext): boolean {
  return ctx.conn.inspect !== undefined && (ctx.become === undefined || ctx.become.user === "root");
}

function toFileState(path: string, info: PathInfo, names: AccountNames, options: ProbeOptions): FileState | undefined {
  if (!info.exists) return { path, exists: false };
  const owner = names.users.get(info.uid);
  const group = names.groups.get(info.gid);
  if (owner === undefined || group === undefined) return undefined;
  const type = fileType(info.mode);
  // A file too large to read this way is summed (or read) by the shell.
  if ((options.checksum || options.content) && type === "file" && !info.content) return undefined;
  const sum = options.checksum && type === "file" ? createHash(options.checksum).update(info.content!).digest("hex") : undefined;
  return {
    path,
    exists: true,
    type,
    mode: (info.mode & 0o7777).toString(8).padStart(4, "0"),
    uid: info.uid,
    gid: info.gid,
    owner,
    group,
    size: info.size,
    mtime: info.mtime,
    ...(sum ? { checksum: sum } : {}),
    ...(info.linkTarget !== undefined ? { linkTarget: info.linkTarget } : {}),
    ...(options.content && info.content ? { content: info.content } : {}),
  };
}

/** `[ -h path ]` from an lstat, `[ ! -e path ]` from a stat (a dangling link does not exist). */
function conditionRequest({ path, is }: ProbeCondition): InspectRequest {
  return { path, follow: is === "missing" };
}

function conditionHolds({ is }: ProbeCondition, info: PathInfo): boolean {
  const present = info.exists && !isLink(info.mode);
  return is === "link" ? info.exists && isLink(info.mode) : !present;
}

/** The groups' states as the shell's probe would give them, or undefined when only the shell can tell. */
export async function inspectGroups(ctx: ModuleContext, groups: readonly ProbeGroup[]): Promise<(FileState | undefined)[] | undefined> {
  if (!inspectable(ctx)) return undefined;
  const requests = groups.flatMap((g) => g.paths.map((path): InspectRequest => ({
    path,
    follow: g.options?.follow ?? false,
    ...(g.options?.checksum || g.options?.content ? { readUpTo: INSPECT_READ_LIMIT } : {}),
  })));
  const conditions = groups.flatMap((g) => (g.onlyIf ? [g.onlyIf] : []));
  const infos = await ctx.conn.inspect!([...requests, ...conditions.map(conditionRequest), ...accountFileRequests]);
  if (infos.some((i) => i === undefined)) return undefined;
  const pathInfos = infos.slice(0, requests.length) as PathInfo[];
  const conditionInfos = infos.slice(requests.length, requests.length + conditions.length) as PathInfo[];
  const names = await accountNames(ctx.conn, infos.slice(requests.length + conditions.length));
  if (!names) return undefined;
  const states: (FileState | undefined)[] = [];
  let next = 0;
  let nextCondition = 0;
  for (const group of groups) {
    const runs = group.onlyIf ? conditionHolds(group.onlyIf, conditionInfos[nextCondition++]) : true;
    for (const path of group.paths) {
      const info = pathInfos[next++];
      if (!runs) {
        states.push(undefined);
        continue;
      }
      const state = toFileState(path, info, names, group.options ?? {});
      if (!state) return undefined;
      states.push(state);
    }
  }
  return states;
}
