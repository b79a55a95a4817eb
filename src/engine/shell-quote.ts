// Everything that reaches a remote shell as data goes through here: inventory values, paths
// and arguments are passed literally, never executed.

/** POSIX single-quote one word: `it's` -> `'it'\''s'`. */
export function shellQuote(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Quote each word and join them into one command line. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
