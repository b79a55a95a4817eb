// PathAccess over an SFTP channel: the host's sftp-server answers lstat, stat, readlink and reads
// itself, so describing a path starts no program there.
import { posix } from "node:path";
import type { FileEntry, SFTPWrapper, Stats } from "ssh2";
import type { PathAccess, PathAttributes } from "./inspect-paths.js";

/** SFTP's status for a path that does not exist (sftp-server also says so for ENOTDIR and ELOOP). */
const SSH_FX_NO_SUCH_FILE = 2;
/** Directory entries read in search of one file's link count before giving up (each costs sftp-server an lstat). */
const LINK_COUNT_SCAN_LIMIT = 2000;
/** sftp-server's long names are `ls -l` lines: mode, link count, owner, ... */
const LONGNAME_LINK_COUNT = /^\S+\s+(\d+)\s/;

function attributes(stats: Stats): PathAttributes {
  return { mode: stats.mode, uid: stats.uid, gid: stats.gid, size: stats.size, mtime: stats.mtime };
}

function statWith(call: (path: string, cb: (err: Error | undefined, stats: Stats) => void) => void) {
  return (path: string) =>
    new Promise<PathAttributes | "absent">((resolve, reject) => {
      call(path, (err, stats) => {
        if (!err) return resolve(attributes(stats));
        if ((err as { code?: unknown }).code === SSH_FX_NO_SUCH_FILE) return resolve("absent");
        reject(err);
      });
    });
}

export function sftpAccess(sftp: SFTPWrapper): PathAccess {
  return {
    lstat: statWith((p, cb) => sftp.lstat(p, cb)),
    stat: statWith((p, cb) => sftp.stat(p, cb)),
    readlink: (path) => new Promise((resolve, reject) => sftp.readlink(path, (err, target) => (err ? reject(err) : resolve(target)))),
    // SFTP's stats lack the link count; the `ls -l` long name of the file's directory entry has it.
    linkCount: (path) =>
      new Promise((resolve) => {
        const name = posix.basename(path);
        sftp.opendir(posix.dirname(path), (openErr, handle) => {
          if (openErr) return resolve(undefined);
          let scanned = 0;
          const done = (nlink: number | undefined) => sftp.close(handle, () => resolve(nlink));
          const next = (): void => {
            sftp.readdir(handle, (err: Error | undefined, entries: FileEntry[]) => {
              if (err) return done(undefined);
              const entry = entries.find((e) => e.filename === name);
              if (entry) return done(Number(LONGNAME_LINK_COUNT.exec(entry.longname)?.[1] ?? Number.NaN) || undefined);
              scanned += entries.length;
              if (scanned >= LINK_COUNT_SCAN_LIMIT || entries.length === 0) return done(undefined);
              next();
            });
          };
          next();
        });
      }),
    read: (path, upTo) =>
      new Promise((resolve, reject) => {
        sftp.open(path, "r", (openErr, handle) => {
          if (openErr) return reject(openErr);
          const buffer = Buffer.alloc(upTo + 1);
          // sftp-server answers a read with one read(2): short only at the end of the file, so one
          // request asking for more than upTo tells both the content and whether it is too large.
          sftp.read(handle, buffer, 0, buffer.length, 0, (readErr, bytesRead) => {
            sftp.close(handle, () => {});
            if (readErr) return reject(readErr);
            resolve(bytesRead > upTo ? undefined : buffer.subarray(0, bytesRead));
          });
        });
      }),
  };
}
