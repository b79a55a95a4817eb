// One way to describe paths (Connection.inspect) over any file-system access that offers lstat,
// stat, readlink and reads: SFTP on a remote host, node:fs on the local one.
import type { InspectRequest, PathInfo } from "./types.js";

export interface PathAttributes {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
}

/** The primitives; "absent" where the path does not exist, a rejection for any other failure. */
export interface PathAccess {
  lstat(path: string): Promise<PathAttributes | "absent">;
  stat(path: string): Promise<PathAttributes | "absent">;
  readlink(path: string): Promise<string>;
  /** The whole file, or undefined when it turns out larger than `upTo` bytes. */
  read(path: string, upTo: number): Promise<Buffer | undefined>;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

export const isRegular = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isLink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isDirectory = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;

async function inspectOne(access: PathAccess, { path, follow, readUpTo }: InspectRequest): Promise<PathInfo> {
  const own = await access.lstat(path);
  if (own === "absent") return { exists: false };
  let attributes = own;
  let viaLink = false;
  if (follow && isLink(own.mode)) {
    const target = await access.stat(path);
    if (target !== "absent") [attributes, viaLink] = [target, true];
  }
  const info: PathInfo = { exists: true, ...attributes, ...(viaLink ? { viaLink } : {}) };
  if (isLink(attributes.mode)) info.linkTarget = await access.readlink(path);
  if (readUpTo !== undefined && isRegular(attributes.mode) && attributes.size <= readUpTo) {
    // Room for a little more than the size: files under /proc say 0 and hold a few bytes.
    const content = await access.read(path, Math.min(readUpTo, attributes.size + 4096));
    if (content === undefined) throw new Error(`${path} grew while being read`);
    info.content = content;
  }
  return info;
}

/** Every request at once (SFTP answers them in parallel); undefined for a path that failed. */
export function inspectPaths(access: PathAccess, requests: readonly InspectRequest[]): Promise<(PathInfo | undefined)[]> {
  return Promise.all(requests.map((r) => inspectOne(access, r).catch(() => undefined)));
}
