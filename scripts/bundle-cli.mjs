// Second build step (after tsc, which checks types and emits dist/): the CLI's entry
// dist/cli/main.js is replaced by one file holding kplay and its dependencies. Start-up is
// mostly loading code, and Node's module loader costs about as much per file as per kilobyte:
// one file instead of ~350 halves the CPU time of a run's fixed cost (docs/benchmarks.md).
//
//   node scripts/bundle-cli.mjs [DIST_DIR]      (default: the package's dist/)
import { build } from "esbuild";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const distDir = resolve(process.argv[2] ?? join(root, "dist"));

await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outfile: join(distDir, "cli/main.js"),
  allowOverwrite: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
  // Loaded on first use through src/engine/lazy-require.ts (most runs never need them): left in
  // node_modules, so a static import of one elsewhere shares that single copy.
  external: ["ssh2", "handlebars", "pino", "diff", "semver", "tinyglobby"],
  // Bundled CommonJS packages require Node's built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as kplayCreateRequire } from 'node:module'; const require = kplayCreateRequire(import.meta.url);" },
});
