import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { file, planFile, type FileArgs, type FileProbe } from "../../../src/modules/file.js";
import type { FileState } from "../../../src/modules/lib/file-state.js";
import { formatMode, resolveMode } from "../../../src/modules/lib/mode.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const scratch = mkdtempSync(join(tmpdir(), "kplay-mode-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What GNU chmod makes of `spec` on a real file or directory that starts with `initial`. */
function chmodResult(initial: number, spec: string, isDirectory: boolean): number {
  const path = join(scratch, `p${Math.random().toString(36).slice(2)}`);
  if (isDirectory) mkdirSync(path);
  else writeFileSync(path, "");
  execFileSync("chmod", [initial.toString(8), path]);
  execFileSync("chmod", [spec, path]);
  return statSync(path).mode & 0o7777;
}

describe("resolveMode", () => {
  it.each([
    [0o644, "u=rw,g=r,o=r", false],
    [0o600, "u+x", false],
    [0o777, "a-w", false],
    [0o640, "g=u", false],
    [0o644, "u=rwX,g=rX,o=", false],
    [0o755, "u=rwX,g=rX,o=", false],
    [0o700, "go=rX", true],
    [0o755, "u+s,g+s", false],
    [0o755, "o+t", true],
    [0o4755, "u-s", false],
    [0o644, "ug+w,o-r", false],
    [0o000, "a+rwx", false],
  ])("from %o, %s (directory: %s) gives what chmod gives", (initial, spec, isDirectory) => {
    expect(formatMode(resolveMode(spec, initial, isDirectory))).toBe(formatMode(chmodResult(initial, spec, isDirectory)));
  });

  it("reads octal strings and takes integers as they are, like Ansible", () => {
    expect(resolveMode("0644", 0, false)).toBe(0o644);
    expect(resolveMode("755", 0, false)).toBe(0o755);
    expect(resolveMode("01777", 0, true)).toBe(0o1777);
    expect(resolveMode(0o600, 0, false)).toBe(0o600);
  });

  it("rejects what is not a mode", () => {
    expect(() => resolveMode("u=rwz", 0, false)).toThrow("invalid symbolic mode clause `u=rwz`");
    expect(() => resolveMode("99999", 0, false)).toThrow();
    expect(() => resolveMode(70000, 0, false)).toThrow("invalid mode 70000");
  });
});

const absent = (path: string): FileState => ({ path, exists: false });
const present = (path: string, over: Partial<FileState & { exists: true }> = {}): FileState => ({
  path,
  exists: true,
  type: "file",
  mode: "0644",
  uid: 0,
  gid: 0,
  owner: "root",
  group: "root",
  size: 1,
  mtime: 0,
  nlink: 1,
  inode: 10,
  device: 1,
  ...over,
});

function plan(raw: Record<string, unknown>, probe: Partial<FileProbe> & { path: FileState }) {
  const { args, errors } = normalizeModuleArgs<FileArgs>(file, raw);
  expect(errors).toEqual([]);
  return planFile(args, { followed: probe.path, tree: [], ancestors: [], ...probe });
}

describe("planFile", () => {
  it("creates a directory with mkdir -p, then sets the asked attributes", () => {
    const p = plan({ path: "/srv/a b", state: "directory", mode: "0750", owner: "kube" }, { path: absent("/srv/a b") });
    expect(p.commands).toEqual(["mkdir -p -- '/srv/a b'", "chown -- kube '/srv/a b'", "chmod -- 0750 '/srv/a b'"]);
    expect(p.result).toEqual({ path: "/srv/a b", state: "directory" });
  });

  it("gives every directory it creates the asked attributes, like Ansible", () => {
    const p = plan({ path: "/srv/new/leaf", state: "directory", mode: "0700" }, { path: absent("/srv/new/leaf"), ancestors: [present("/srv", { type: "directory" }), absent("/srv/new")] });
    expect(p.commands).toEqual(["mkdir -p -- /srv/new/leaf", "chmod -- 0700 /srv/new", "chmod -- 0700 /srv/new/leaf"]);
  });

  it("defaults state to what the path is, or file", () => {
    expect(plan({ path: "/d", mode: "0700" }, { path: present("/d", { type: "directory", mode: "0755" }) }).result?.state).toBe("directory");
    expect(() => plan({ path: "/f" }, { path: absent("/f") })).toThrow("file (/f) is absent, cannot continue");
  });

  it("changes nothing when the path already is as asked, by name or by id", () => {
    const p = plan({ path: "/f", state: "file", mode: "u=rw,g=r,o=r", owner: "0" }, { path: present("/f") });
    expect(p).toMatchObject({ changed: false, commands: [] });
  });

  it("follows a link for state=file, and acts on the link itself for state=absent", () => {
    const link = present("/l", { type: "link", linkTarget: "/f", mode: "0777" });
    const target = present("/l", { mode: "0600" });
    expect(plan({ path: "/l", state: "file", mode: "0600" }, { path: link, followed: target }).changed).toBe(false);
    expect(plan({ path: "/l", state: "absent" }, { path: link, followed: target }).commands).toEqual(["rm -rf -- /l"]);
  });

  it("converts a file to a link only with force", () => {
    const args = { path: "/p", src: "/t", state: "link" };
    const probe = { path: present("/p"), src: present("/t") };
    expect(() => plan(args, probe)).toThrow("refusing to convert from file to symlink for /p");
    expect(plan({ ...args, force: true }, probe).commands).toEqual(["ln -sfn -- /t /p"]);
  });

  it("replaces a different hard link only with force, like Ansible", () => {
    const probe = { path: present("/h", { nlink: 2, inode: 5 }), src: present("/t", { inode: 6 }) };
    expect(() => plan({ path: "/h", src: "/t", state: "hard" }, probe)).toThrow("Cannot link, different hard link exists at destination");
    expect(plan({ path: "/h", src: "/t", state: "hard", force: true }, probe).commands).toEqual(["ln -f -- /t /h"]);
  });
});
