// One way to describe paths (Connection.inspect) over any file-system access that offers lstat,
// stat, readlink and reads: SFTP on a remote host, node:fs on the local one.
import type { InspectRequest, PathInfo } from "./types.js";

export interface PathAttributes {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  /** Where the access reports it with every stat (the local file system; SFTP does not). */
  nlink?: number;
}

/** The primitives; "absent" where the path does not exist, a rejection for any other failure. */
export interface PathAccess {
  lstat(path: string): Promise<PathAttributes | "absent">;
  stat(path: string): Promise<PathAttributes | "absent">;
  readlink(path: string): Promise<string>;
  /** The whole file, or undefined when it turns out larger than `upTo` bytes. */
  read(path: string, upTo: number): Promise<Buffer | undefined>;
  /** A path's hard-link count, for an access whose stats lack it; undefined when it cannot tell. */
  linkCount?(path: string): Promise<number | undefined>;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

export const isRegular = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isLink = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;
export const isDirectory = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;

async function inspectOne(access: PathAccess, { path, follow, readUpTo, linkCount }: InspectRequest): Promise<PathInfo> {
  const own = await access.lstat(path);
  if (own === "absent") return { exists: false };
  let attributes = own;
  let viaLink = false;
  if (follow && isLink(own.mode)) {
    const target = await access.stat(path);
    if (target !== "absent") [attributes, viaLink] = [target, true];
  }
  const { nlink: statedLinks, ...stated } = attributes;
  const info: PathInfo = { exists: true, ...stated, ...(viaLink ? { viaLink } : {}) };
  if (linkCount && isRegular(attributes.mode) && !viaLink) {
    const nlink = statedLinks ?? (await access.linkCount?.(path));
    if (nlink !== undefined) info.nlink = nlink;
  }
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
