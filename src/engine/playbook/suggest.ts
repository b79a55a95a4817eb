// "did you mean ...?" for misspelled keywords, modules and roles.
import { closest, distance } from "fastest-levenshtein";

/** The closest candidate when it is near enough to be a plausible typo, else undefined. */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  const allowed = Math.max(2, Math.floor(word.length / 3));
  return distance(word, best) <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const best = closestName(word, candidates);
  return best ? `did you mean \`${best}\`?` : undefined;
}
