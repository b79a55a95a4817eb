// Where journals and retry files live: `.kplay/journal/` in the current directory unless
// --journal names a file. Files are named after the playbooks, so --resume finds the newest
// journal of the same playbooks, and the retry file is `<journal dir>/<playbook name>.retry`.
import { readdirSync, rmSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";

export const DEFAULT_JOURNAL_DIR = join(".kplay", "journal");
/** Journals kept per playbook in the default directory; older ones are removed. */
const KEPT = 20;

/** `site.yml` → `site`; several playbooks → `site+scale`. */
export function runName(playbooks: readonly string[]): string {
  return playbooks.map((p) => basename(p, extname(p))).join("+");
}

/** UTC time that sorts as text: 20261122T054000123Z. */
function stamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function journalsOf(dir: string, name: string): string[] {
  const pattern = new RegExp(`^${escapeRegExp(name)}-\\d{8}T\\d{9}Z-\\d+\\.jsonl$`);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.filter((f) => pattern.test(f)).sort().map((f) => join(dir, f));
}

export interface JournalLocation {
  /** The file this run writes. */
  path: string;
  /** Where the retry file goes. */
  dir: string;
  name: string;
}

/** @param journal --journal PATH, or undefined for the default directory. */
export function journalLocation(journal: string | undefined, playbooks: readonly string[], cwd: string, now: Date): JournalLocation {
  const name = runName(playbooks);
  if (journal !== undefined) {
    const path = resolve(cwd, journal);
    return { path, dir: dirname(path), name };
  }
  const dir = resolve(cwd, DEFAULT_JOURNAL_DIR);
  return { path: join(dir, `${name}-${stamp(now)}-${process.pid}.jsonl`), dir, name };
}

/** The journal --resume reads: --journal PATH, else the newest of these playbooks in the default directory. */
export function journalToResume(journal: string | undefined, playbooks: readonly string[], cwd: string): string | undefined {
  if (journal !== undefined) return resolve(cwd, journal);
  return journalsOf(resolve(cwd, DEFAULT_JOURNAL_DIR), runName(playbooks)).at(-1);
}

/** Removes all but the newest journals of these playbooks from the default directory (best effort). */
export function pruneJournals(dir: string, name: string): void {
  const all = journalsOf(dir, name);
  for (const old of all.slice(0, Math.max(0, all.length - KEPT))) {
    try {
      rmSync(old, { force: true });
    } catch {
      // Another user's file, or a read-only directory: an old journal left behind is harmless.
    }
  }
}

export function retryFilePath(location: JournalLocation): string {
  return join(location.dir, `${location.name}.retry`);
}
