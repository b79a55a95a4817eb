// Ansible's retry file: the failed and unreachable hosts, one per line, for `--limit @FILE`.
// Written atomically when a run loses hosts; removed once a run of the playbooks succeeds.
import { mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomicSync } from "../atomic-file.js";

/** @returns the file's path when it was written (for the "to retry" hint). */
export function updateRetryFile(path: string, lostHosts: readonly string[], succeeded: boolean): string | undefined {
  if (lostHosts.length === 0) {
    if (succeeded) rmSync(path, { force: true });
    return undefined;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, lostHosts.map((h) => `${h}\n`).join(""), 0o644);
  return path;
}
