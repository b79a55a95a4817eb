// The real command line as users run it: `node bin/kplay.js` on the compiled dist/. Built as
// `npm run build` does, into a scratch copy of the package, so the repository's dist/ (which a
// concurrent run may be using) stays untouched and the code under test is the current source.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

const ROOT = resolve(import.meta.dirname, "../../..");

/** Builds the CLI; answers the path of its bin/kplay.js (about 20 s on 2 cores). */
export async function buildCli(): Promise<string> {
  const pkg = mkdtempSync(join(tmpdir(), "kplay-cli-"));
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  // The two steps of `npm run build`: tsc, then the one-file bundle of the CLI's entry.
  await promisify(execFile)(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", join(pkg, "dist")]);
  await promisify(execFile)(process.execPath, [join(ROOT, "scripts/bundle-cli.mjs"), join(pkg, "dist")]);
  mkdirSync(join(pkg, "bin"));
  copyFileSync(join(ROOT, "bin/kplay.js"), join(pkg, "bin/kplay.js"));
  copyFileSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  return join(pkg, "bin/kplay.js");
}
