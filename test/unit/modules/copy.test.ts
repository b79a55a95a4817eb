import { describe, expect, it } from "vitest";
import { copy, layout, localSourceFile, planCopy, type CopyArgs, type SourceTree } from "../../../src/modules/copy.js";
import type { FileState } from "../../../src/modules/lib/file-state.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const args = (raw: Record<string, unknown>) => normalizeModuleArgs<CopyArgs>(copy, raw).args;
const oneFile: SourceTree = { kind: "file", files: [localSourceFile("", Buffer.from("x\n"), 0o644)], directories: [] };
const tree: SourceTree = {
  kind: "directory",
  directories: ["sub"],
  files: [localSourceFile("a", Buffer.from("a"), 0o644), localSourceFile("sub/b", Buffer.from("b"), 0o755)],
};
const dests = (l: ReturnType<typeof layout>) => ({ directories: l.directories, files: l.files.map((f) => f.dest) });

describe("copy layout (Ansible's rules)", () => {
  it("puts a file at dest, or inside dest when it is a directory or ends in /", () => {
    expect(dests(layout(args({ src: "files/app.conf", dest: "/etc/app.conf" }), oneFile, false))).toEqual({ directories: [], files: ["/etc/app.conf"] });
    expect(dests(layout(args({ src: "files/app.conf", dest: "/etc" }), oneFile, true)).files).toEqual(["/etc/app.conf"]);
    expect(dests(layout(args({ src: "app.conf", dest: "/etc/app/" }), oneFile, false))).toEqual({ directories: ["/etc/app"], files: ["/etc/app/app.conf"] });
  });

  it("copies a directory itself without a trailing slash, its contents with one", () => {
    expect(dests(layout(args({ src: "conf.d", dest: "/etc" }), tree, true))).toEqual({
      directories: ["/etc/conf.d", "/etc/conf.d/sub"],
      files: ["/etc/conf.d/a", "/etc/conf.d/sub/b"],
    });
    expect(dests(layout(args({ src: "conf.d/", dest: "/etc/app" }), tree, false))).toEqual({
      directories: ["/etc/app", "/etc/app/sub"],
      files: ["/etc/app/a", "/etc/app/sub/b"],
    });
  });
});

const file = (path: string, checksum: string, over: Record<string, unknown> = {}): FileState => ({
  path, exists: true, type: "file", mode: "0644", uid: 0, gid: 0, owner: "root", group: "root", size: 2, mtime: 0, nlink: 1, inode: 1, device: 1, checksum, ...over,
});
const dir = (path: string): FileState => ({ ...file(path, ""), type: "directory", mode: "0755" }) as FileState;

describe("planCopy", () => {
  const sum = oneFile.files[0].sha256;
  const probe = (states: FileState[]) => ({ source: oneFile, remote: new Map(states.map((s) => [s.path, s])), before: new Map() });

  it("uploads only when the sha256 differs, and reports Ansible's sha1 checksum", () => {
    const same = planCopy(args({ content: "x\n", dest: "/etc/f" }), probe([file("/etc/f", sum), dir("/etc")]));
    expect(same).toMatchObject({ changed: false, writes: [], result: { dest: "/etc/f", checksum: "6fcf9dfbd479ed82697fee719b9f8c610a11ff2a" } });
    const other = planCopy(args({ content: "x\n", dest: "/etc/f" }), probe([file("/etc/f", "0".repeat(64)), dir("/etc")]));
    expect(other.writes.map((w) => w.dest)).toEqual(["/etc/f"]);
  });

  it("fixes only attributes when the content matches", () => {
    const p = planCopy(args({ content: "x\n", dest: "/etc/f", mode: "0600", owner: "kube" }), probe([file("/etc/f", sum), dir("/etc")]));
    expect(p).toMatchObject({ changed: true, writes: [], commands: ["chown -- kube /etc/f", "chmod -- 0600 /etc/f"] });
  });

  it("refuses content onto a directory and a missing parent, like Ansible", () => {
    expect(() => planCopy(args({ content: "x", dest: "/etc" }), probe([dir("/etc")]))).toThrow("can not use content with a dir as dest");
    expect(() => planCopy(args({ content: "x", dest: "/nope/f" }), probe([{ path: "/nope/f", exists: false }, { path: "/nope", exists: false }]))).toThrow(
      "Destination directory /nope does not exist",
    );
  });
});
