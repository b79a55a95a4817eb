// --tags / --skip-tags selection, exactly as Ansible's Taggable.evaluate_tags: `always` runs
// unless skipped by name, `never` runs only when asked for by name, `tagged`/`untagged`/`all`
// are special. Tags are the item's effective (inherited) tags.
import type { PlayItem } from "./model.js";

const UNTAGGED = "untagged";

/**
 * @param onlyTags `--tags`; empty means `all`.
 * @param skipTags `--skip-tags`.
 */
export function selectByTags(item: Pick<PlayItem, "tags">, onlyTags: readonly string[], skipTags: readonly string[]): boolean {
  const tags = new Set(item.tags && item.tags.length > 0 ? item.tags : [UNTAGGED]);
  const untagged = tags.size === 1 && tags.has(UNTAGGED);
  const only = onlyTags.length > 0 ? onlyTags : ["all"];
  const any = (list: readonly string[]) => list.some((t) => tags.has(t));

  const selected =
    tags.has("always") ||
    (only.includes("all") && !tags.has("never")) ||
    any(only) ||
    (only.includes("tagged") && !untagged && !tags.has("never"));
  if (!selected || skipTags.length === 0) return selected;
  if (skipTags.includes("all")) return tags.has("always") && !skipTags.includes("always");
  if (any(skipTags)) return false;
  return !(skipTags.includes("tagged") && !untagged);
}

/** The items that run under these tags, blocks kept only when some task inside them runs. */
export function filterByTags(items: readonly PlayItem[], onlyTags: readonly string[], skipTags: readonly string[]): PlayItem[] {
  return items.flatMap((item): PlayItem[] => {
    if (item.kind === "task") return selectByTags(item, onlyTags, skipTags) ? [item] : [];
    const block = filterByTags(item.block, onlyTags, skipTags);
    const rescue = filterByTags(item.rescue, onlyTags, skipTags);
    const always = filterByTags(item.always, onlyTags, skipTags);
    return block.length + rescue.length + always.length > 0 ? [{ ...item, block, rescue, always }] : [];
  });
}
