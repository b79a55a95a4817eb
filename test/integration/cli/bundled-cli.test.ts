// The CLI as `npm run build` ships it: one bundled dist/cli/main.js (scripts/bundle-cli.mjs),
// with Handlebars, pino, diff, semver, ssh2 and tinyglobby left out and loaded on first use. Runs it as users
// do (`node bin/kplay.js`, a child process) on `ansible_connection=local` hosts, and checks that
// each lazily loaded package still works from the bundle, and that a run not needing one never
// loads it (that is where start-up time went).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildCli } from "../../support/built-cli.js";

const ROOT = resolve(import.meta.dirname, "../../..");
const LAZY_PACKAGES = ["diff", "handlebars", "picomatch", "pino", "semver", "ssh2", "tinyglobby"];

let cli: string;
let preload: string;

/** Lists, at exit, the npm packages the process loaded (the bundled ones are part of the bundle file). */
const LOADED_PACKAGES_PRELOAD = `
const Module = require("node:module");
process.on("exit", () => {
  const names = new Set(Object.keys(Module._cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(f)?.[1]).filter(Boolean));
  require("node:fs").writeFileSync(process.env.KPLAY_TEST_LOADED, JSON.stringify([...names].sort()));
});
`;

beforeAll(async () => {
  cli = await buildCli();
  preload = join(mkdtempSync(join(tmpdir(), "kplay-preload-")), "loaded-packages.cjs");
  writeFileSync(preload, LOADED_PACKAGES_PRELOAD);
}, 60_000);

interface CliRun {
  code: number;
  out: string;
  err: string;
  /** npm packages loaded from node_modules (not from the bundle). */
  loaded: string[];
}

async function kplay(args: string[], cwd = tmpdir()): Promise<CliRun> {
  const loadedFile = join(mkdtempSync(join(tmpdir(), "kplay-loaded-")), "loaded.json");
  const env = { ...process.env, NO_COLOR: "1", KPLAY_TEST_LOADED: loadedFile };
  const argv = ["--require", preload, cli, ...args];
  const result = await new Promise<{ code: number; out: string; err: string }>((done) => {
    execFile(process.execPath, argv, { cwd, env }, (error, out, err) => done({ code: error ? Number(error.code) : 0, out, err }));
  });
  return { ...result, loaded: JSON.parse(readFileSync(loadedFile, "utf8")) as string[] };
}

/** A directory with an inventory of `ansible_connection=local` hosts and the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kplay-bundle-run-"));
  writeFileSync(join(dir, "hosts.ini"), "[nodes]\nlocal[1:3] ansible_connection=local\n");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe("the bundled CLI", () => {
  it("prints its version, loading nothing from node_modules", async () => {
    const run = await kplay(["--version"]);
    expect(run.code).toBe(0);
    expect(run.out.trim()).toBe((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
    expect(run.loaded).toEqual([]);
  });

  it("runs a play on local hosts and loads none of the lazily loaded packages", async () => {
    const dir = project({ "site.yml": "- hosts: nodes\n  gather_facts: false\n  tasks:\n    - file: path={{ playbook_dir }}/{{ inventory_hostname }} state=directory\n" });
    const run = await kplay(["-i", "hosts.ini", "site.yml"], dir);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/local3\s+: ok=1\s+changed=1/);
    expect(run.loaded.filter((p) => LAZY_PACKAGES.includes(p))).toEqual([]);
  });

  it("loads Handlebars, semver, diff and pino when a run uses them, from the bundle's node_modules", async () => {
    const dir = project({
      "motd.hbs": "host {{inventory_hostname}} of {{join groups_nodes \",\"}}\n",
      "site.yml": [
        "- hosts: local1",
        "  gather_facts: false",
        "  vars: { groups_nodes: \"{{ groups['nodes'] }}\" }",
        "  tasks:",
        "    - template: src=motd.hbs dest={{ playbook_dir }}/motd",
        "      when: \"'1.10.0' is version('1.9.0', '>', version_type='semver')\"",
      ].join("\n"),
    });
    const run = await kplay(["-i", "hosts.ini", "--diff", "--log-file", join(dir, "run.log"), "site.yml"], dir);
    expect(run.err).toBe("");
    expect(run.code).toBe(0);
    expect(readFileSync(join(dir, "motd"), "utf8")).toBe("host local1 of local1,local2,local3\n");
    expect(run.out).toContain("+host local1 of local1,local2,local3");
    expect(readFileSync(join(dir, "run.log"), "utf8")).toContain('"event":"host_result"');
    expect(run.loaded).toEqual(expect.arrayContaining(["diff", "handlebars", "pino", "semver"]));
    expect(run.loaded).not.toContain("ssh2");
  });

  it("loads ssh2 for an SSH host and reports it unreachable when nothing listens", async () => {
    const dir = project({ "site.yml": "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: /bin/true\n" });
    writeFileSync(join(dir, "hosts.ini"), "nowhere ansible_host=127.0.0.1 ansible_port=1\n");
    const run = await kplay(["-i", "hosts.ini", "--timeout", "5", "site.yml"], dir);
    expect(run.code).toBe(4);
    expect(run.out + run.err).toMatch(/nowhere.*UNREACHABLE/);
    expect(run.loaded).toContain("ssh2");
  });
});
