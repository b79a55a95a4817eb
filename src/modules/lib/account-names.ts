// Owner and group names for uids and gids, as the host's /etc/passwd and /etc/group give them,
// read once per connection through Connection.inspect and read again when either file changes.
// Only a command or a file write can change them, so their sizes and times are looked at again
// only after the connection sent one (Connection.changes).
import type { Connection, InspectRequest, PathInfo } from "../../engine/connection/types.js";

export interface AccountNames {
  users: ReadonlyMap<number, string>;
  groups: ReadonlyMap<number, string>;
}

const ACCOUNT_FILES_LIMIT = 4 * 1024 * 1024;
export const ACCOUNT_FILES = ["/etc/passwd", "/etc/group"] as const;

/** Cheap requests to send with every inspection: the files' sizes and times tell when to read them again. */
export const accountFileRequests: InspectRequest[] = ACCOUNT_FILES.map((path) => ({ path, follow: true }));

const cache = new WeakMap<Connection, { key: string; names: AccountNames; checkedAt: number | undefined }>();

/** The names, when nothing can have changed them since they were last checked. */
export function unchangedAccountNames(conn: Connection): AccountNames | undefined {
  const cached = cache.get(conn);
  return cached && conn.changes !== undefined && cached.checkedAt === conn.changes ? cached.names : undefined;
}

function idsToNames(content: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of content.split("\n")) {
    const [name, , id] = line.split(":");
    // The first entry for an id is the one getpwuid/getgrgid return.
    if (name && id !== undefined && /^\d+$/.test(id) && !names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

function versionKey(infos: readonly (PathInfo | undefined)[]): string | undefined {
  if (infos.some((i) => !i?.exists)) return undefined;
  return infos.map((i) => (i?.exists ? `${i.size}:${i.mtime}` : "")).join("|");
}

/**
 * The names, from `stats` (accountFileRequests' answers) taken when the connection's change count
 * was `checkedAt`; undefined when the files cannot be read this way (the caller then asks the shell).
 */
export async function accountNames(conn: Connection, stats: readonly (PathInfo | undefined)[], checkedAt: number | undefined): Promise<AccountNames | undefined> {
  const key = versionKey(stats);
  if (key === undefined || !conn.inspect) return undefined;
  const cached = cache.get(conn);
  if (cached?.key === key) {
    cached.checkedAt = checkedAt;
    return cached.names;
  }
  const files = await conn.inspect(ACCOUNT_FILES.map((path) => ({ path, follow: true, readUpTo: ACCOUNT_FILES_LIMIT })));
  const [passwd, group] = files.map((f) => (f?.exists && f.content ? f.content.toString("utf8") : undefined));
  if (passwd === undefined || group === undefined) return undefined;
  const names = { users: idsToNames(passwd), groups: idsToNames(group) };
  cache.set(conn, { key: versionKey(files) ?? key, names, checkedAt });
  return names;
}
