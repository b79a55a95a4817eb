#!/usr/bin/env node
// Thin launcher: the CLI is dist/cli/main.js, one bundled file built by `npm run build`
// (which `npm ci` runs through `prepare`).
import module from "node:module";

// Node 22.1+ keeps V8's compiled code on disk between runs (start-up is mostly compiling);
// Node 20 has no such cache. Enabled before the CLI is imported, so it covers all of it.
module.enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");
main(process.argv).then((code) => { process.exitCode = code; });
