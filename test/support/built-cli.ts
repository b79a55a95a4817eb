// The real command line as users run it: `node bin/kplay.js` on the built CLI — the one-file
// bundle `npm run build` puts at dist/cli/main.js (scripts/bundle-cli.mjs; the packages it leaves
// out load from node_modules). Built from the current source into a scratch copy of the package,
// so the repository's dist/ (which a concurrent run may be using) stays untouched.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "../..");

/** Builds the CLI (a few seconds); answers the path of its bin/kplay.js. */
export async function buildCli(): Promise<string> {
  const pkg = mkdtempSync(join(tmpdir(), "kplay-cli-"));
  await promisify(execFile)(process.execPath, [join(ROOT, "scripts/bundle-cli.mjs"), join(pkg, "dist")]);
  mkdirSync(join(pkg, "bin"));
  copyFileSync(join(ROOT, "bin/kplay.js"), join(pkg, "bin/kplay.js"));
  copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  return join(pkg, "bin/kplay.js");
}
