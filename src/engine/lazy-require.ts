// Start-up cost is mostly loading code: a dependency only some runs need (Handlebars for
// templates, pino for --log-file, diff for --diff, ssh2 for SSH hosts) is loaded on first use.
// These packages are CommonJS, so a synchronous require keeps their callers synchronous.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A getter that loads the CommonJS package `id` the first time it is called. */
export function lazyRequire<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
