// File probes without a program on the host: Connection.inspect (SFTP, or the local file system)
// describes the paths, and the result is what the shell's `stat` probe would have printed. Any
// path it cannot describe sends the whole probe back to the shell, so the answer never differs.
import { createHash } from "node:crypto";
import { isDirectory, isLink, isRegular } from "../../engine/connection/inspect-paths.js";
import type { InspectRequest, PathInfo } from "../../engine/connection/types.js";
import type { ModuleContext } from "../types.js";
import { accountFileRequests, accountNames, unchangedAccountNames, type AccountNames } from "./account-names.js";
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
    ...(info.nlink !== undefined ? { nlink: info.nlink } : {}),
    ...(sum ? { checksum: sum } : {}),
    ...(info.linkTarget !== undefined ? { linkTarget: info.linkTarget } : {}),
    ...(options.content && info.content ? { content: info.content } : {}),
  };
}

/** Whether the host's `[ -h path ]` or `[ ! -e path ]` holds, from the path described with follow. */
function conditionHolds({ is }: ProbeCondition, info: PathInfo): boolean {
  if (is === "link") return info.exists && (info.viaLink === true || isLink(info.mode));
  // `-e` follows links: a dangling link (described as the link itself) does not exist.
  return !info.exists || isLink(info.mode);
}

const requestKey = (r: InspectRequest) => `${r.follow ? 1 : 0}:${r.readUpTo ?? ""}:${r.linkCount ? 1 : 0}:${r.path}`;

function groupRequests(group: ProbeGroup, linkCounts: boolean): InspectRequest[] {
  const read = group.options?.checksum || group.options?.content ? { readUpTo: INSPECT_READ_LIMIT } : {};
  const follow = group.options?.follow ?? false;
  return group.paths.map((path) => ({ path, follow, ...read, ...(linkCounts && !follow ? { linkCount: true } : {}) }));
}

/**
 * The groups' states as the shell's probe would give them (with `linkCounts`, every regular file's
 * nlink), or undefined when only the shell can tell. One round trip for the unconditional groups and the conditions, a second only for a
 * conditional group whose condition holds (ancestors of a missing path: a change is coming anyway).
 */
export async function inspectGroups(ctx: ModuleContext, groups: readonly ProbeGroup[], options: { linkCounts?: boolean } = {}): Promise<(FileState | undefined)[] | undefined> {
  if (!inspectable(ctx)) return undefined;
  const requestsOf = (group: ProbeGroup) => groupRequests(group, options.linkCounts ?? false);
  const known = new Map<string, PathInfo | undefined>();
  const ask = async (requests: InspectRequest[]): Promise<void> => {
    const fresh = [...new Map(requests.filter((r) => !known.has(requestKey(r))).map((r) => [requestKey(r), r])).values()];
    if (fresh.length === 0) return;
    const infos = await ctx.conn.inspect!(fresh);
    fresh.forEach((r, i) => known.set(requestKey(r), infos[i]));
  };
  const conditionRequest = (c: ProbeCondition): InspectRequest => ({ path: c.path, follow: true });
  const changesBefore = ctx.conn.changes;
  const unchangedNames = unchangedAccountNames(ctx.conn);
  await ask([
    ...groups.filter((g) => !g.onlyIf).flatMap(requestsOf),
    ...groups.flatMap((g) => (g.onlyIf ? [conditionRequest(g.onlyIf)] : [])),
    ...(unchangedNames ? [] : accountFileRequests),
  ]);
  const answer = (r: InspectRequest) => known.get(requestKey(r));
  if ([...known.values()].some((i) => i === undefined)) return undefined;
  const runs = groups.map((g) => !g.onlyIf || conditionHolds(g.onlyIf, answer(conditionRequest(g.onlyIf))!));
  await ask(groups.filter((_, i) => runs[i]).flatMap(requestsOf));
  if ([...known.values()].some((i) => i === undefined)) return undefined;
  const names = unchangedNames ?? (await accountNames(ctx.conn, accountFileRequests.map(answer), changesBefore));
  if (!names) return undefined;
  const states: (FileState | undefined)[] = [];
  for (const [i, group] of groups.entries()) {
    for (const request of requestsOf(group)) {
      if (!runs[i]) {
        states.push(undefined);
        continue;
      }
      const state = toFileState(request.path, answer(request)!, names, group.options ?? {});
      // With linkCounts, a regular file whose count this way could not tell (one reached through a link) is the shell's.
      if (!state || (options.linkCounts && state.exists && state.type === "file" && state.nlink === undefined)) return undefined;
      states.push(state);
    }
  }
  return states;
}
