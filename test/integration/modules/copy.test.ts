// copy on a real host: files, inline content, directory trees, backup, validate, check and diff.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { specFor } from "../connection/test-specs.js";
import { FIXTURES_DIR, runModule, useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modcopy");

const statOf = (path: string) => t.sh(`stat -c '%a %U:%G' ${path}`).then((s) => s.trim());

describe("copy a file", () => {
  it("uploads once, then only probes", async () => {
    await t.sh("mkdir -p /srv/c1");
    const first = await t.run("copy", { src: "app.conf", dest: "/srv/c1/app.conf" });
    const local = readFileSync(join(FIXTURES_DIR, "files", "app.conf"));
    expect(first).toMatchObject({
      changed: true,
      dest: "/srv/c1/app.conf",
      checksum: createHash("sha1").update(local).digest("hex"),
      size: local.length,
    });
    expect(await t.sh("cat /srv/c1/app.conf")).toBe(local.toString());
    expect(await statOf("/srv/c1/app.conf")).toBe("644 root:root");

    const second = await t.run("copy", { src: "app.conf", dest: "/srv/c1/app.conf" });
    expect(second.changed).toBe(false);
    expect(second.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("puts a file inside an existing directory, and creates a dest ending in /", async () => {
    await t.sh("mkdir -p /srv/c2/dir");
    expect((await t.run("copy", { src: "app.conf", dest: "/srv/c2/dir" })).dest).toBe("/srv/c2/dir/app.conf");
    await t.sh("test -f /srv/c2/dir/app.conf");
    expect((await t.run("copy", { src: "app.conf", dest: "/srv/c2/new/" })).changed).toBe(true);
    await t.sh("test -f /srv/c2/new/app.conf");
  });

  it("fails when the destination directory does not exist, like Ansible", async () => {
    const r = await t.run("copy", { content: "x", dest: "/srv/nowhere/deeper/file" });
    expect(r).toMatchObject({ failed: true, msg: "Destination directory /srv/nowhere/deeper does not exist" });
  });
});

describe("copy content", () => {
  it("check mode reports and shows the new file but writes nothing", async () => {
    await t.sh("mkdir -p /srv/c3");
    const r = await t.run("copy", { content: "hello\n", dest: "/srv/c3/hello", mode: "0600" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toEqual([{ before: "", after: "hello\n", beforeHeader: "/srv/c3/hello (absent)", afterHeader: "/srv/c3/hello" }]);
    expect((await t.host.exec("test -e /srv/c3/hello")).rc).toBe(1);
  });

  it("sets mode and owner on upload, then fixes attributes alone without uploading", async () => {
    const args = { content: "hello\n", dest: "/srv/c3/hello", mode: "0600", owner: "nobody" };
    expect((await t.run("copy", args)).changed).toBe(true);
    expect(await statOf("/srv/c3/hello")).toBe("600 nobody:root");
    const chmod = await t.run("copy", { ...args, mode: "0640" }, { diff: true });
    expect(chmod).toMatchObject({ changed: true, sent: { puts: [] } });
    expect(chmod.diff![0]).toMatchObject({ before: "mode: 0600\n", after: "mode: 0640\n" });
    expect(await statOf("/srv/c3/hello")).toBe("640 nobody:root");
    expect((await t.run("copy", { ...args, mode: "0640" })).changed).toBe(false);
  });

  it("replaces changed content with a backup and a diff of the old text", async () => {
    await t.sh("printf 'old\\n' > /srv/c3/conf && chmod 0604 /srv/c3/conf");
    const r = await t.run("copy", { content: "new\n", dest: "/srv/c3/conf", backup: true }, { diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff![0]).toMatchObject({ before: "old\n", after: "new\n" });
    expect(r.backup_file).toMatch(/^\/srv\/c3\/conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(await t.sh(`cat ${r.backup_file as string}`)).toBe("old\n");
    expect(await t.sh("cat /srv/c3/conf")).toBe("new\n");
    expect(await statOf("/srv/c3/conf")).toBe("604 root:root"); // the replaced file keeps its mode
  });

  it("force: false leaves an existing file alone", async () => {
    await t.sh("printf 'mine\\n' > /srv/c3/keep");
    expect((await t.run("copy", { content: "theirs\n", dest: "/srv/c3/keep", force: false })).changed).toBe(false);
    expect(await t.sh("cat /srv/c3/keep")).toBe("mine\n");
  });

  it("validate runs on the new content before it replaces the file", async () => {
    await t.sh("printf 'server=1\\n' > /srv/c3/checked");
    const bad = await t.run("copy", { content: "garbage\n", dest: "/srv/c3/checked", validate: "grep -q ^server= %s" });
    expect(bad).toMatchObject({ failed: true, rc: 1 });
    expect(bad.msg).toContain("failed to validate");
    expect(await t.sh("cat /srv/c3/checked")).toBe("server=1\n");
    expect(await t.sh("ls -A /srv/c3 | grep -c kplay || true")).toBe("0\n");
    await t.sh("chmod 0640 /srv/c3/checked && chown nobody /srv/c3/checked");
    const good = await t.run("copy", { content: "server=2\n", dest: "/srv/c3/checked", validate: "grep -q ^server= %s" });
    expect(good.changed).toBe(true);
    expect(await t.sh("cat /srv/c3/checked")).toBe("server=2\n");
    expect(await statOf("/srv/c3/checked")).toBe("640 nobody:root"); // the validated temp file took over mode and owner
  });
});

describe("copy a directory", () => {
  it("src without a trailing slash copies the directory itself, with its tree", async () => {
    await t.sh("mkdir -p /srv/c4");
    const r = await t.run("copy", { src: "tree", dest: "/srv/c4", mode: "preserve" });
    expect(r.changed).toBe(true);
    expect((await t.sh("cd /srv/c4 && find . | sort")).split("\n").filter(Boolean)).toEqual([
      ".",
      "./tree",
      "./tree/empty",
      "./tree/empty/.keep",
      "./tree/sub",
      "./tree/sub/nested.txt",
      "./tree/top.txt",
    ]);
    expect(await statOf("/srv/c4/tree/sub/nested.txt")).toBe("755 root:root");
    const again = await t.run("copy", { src: "tree", dest: "/srv/c4", mode: "preserve" });
    expect(again.changed).toBe(false);
    expect(again.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("src with a trailing slash copies the contents into dest (created)", async () => {
    expect((await t.run("copy", { src: "tree/", dest: "/srv/c5/into" })).changed).toBe(true);
    expect(await t.sh("cat /srv/c5/into/top.txt /srv/c5/into/sub/nested.txt")).toBe("top\nnested\n");
  });
});

describe("copy with remote_src", () => {
  it("copies a file that is already on the host, then finds it in place", async () => {
    await t.sh("mkdir -p /srv/c6 && printf 'binary\\n' > /srv/c6/src.bin && chmod 0755 /srv/c6/src.bin");
    const args = { src: "/srv/c6/src.bin", dest: "/usr/local/bin/tool", remote_src: true };
    const checked = await t.run("copy", args, { check: true });
    expect(checked.changed).toBe(true);
    expect((await t.host.exec("test -e /usr/local/bin/tool")).rc).toBe(1);
    expect((await t.run("copy", args)).changed).toBe(true);
    expect(await t.sh("cat /usr/local/bin/tool; stat -c %a /usr/local/bin/tool")).toBe("binary\n755\n");
    const again = await t.run("copy", args);
    expect(again.changed).toBe(false);
    expect(again.sent.puts).toEqual([]);
    expect(await t.run("copy", { ...args, src: "/srv/c6/none" })).toMatchObject({ failed: true, msg: "Source /srv/c6/none not found" });
  });
});

describe("copy as a non-root user", () => {
  it("writes root's files through become, probing and diffing as root too", async () => {
    await t.sh("install -d -o deploy -m 700 ~deploy/.ssh && install -o deploy -m 600 /root/.ssh/authorized_keys ~deploy/.ssh/");
    const conn = new SshConnection(specFor(t.bed, t.host, { user: t.bed.deployUser }));
    try {
      const become = { user: "root", password: t.bed.deployPassword };
      const args = { content: "secret=1\n", dest: "/etc/kplay-become.conf", mode: "0600" };
      expect((await runModule(conn, "copy", args, { become })).changed).toBe(true);
      expect(await t.sh("stat -c '%a %U' /etc/kplay-become.conf")).toBe("600 root\n");
      expect((await runModule(conn, "copy", args, { become })).changed).toBe(false);
      const changed = await runModule(conn, "copy", { ...args, content: "secret=2\n", backup: true }, { become, diff: true });
      expect(changed.diff![0]).toMatchObject({ before: "secret=1\n", after: "secret=2\n" });
      expect(await t.sh(`cat ${changed.backup_file as string}`)).toBe("secret=1\n");
      const denied = await runModule(conn, "copy", { ...args, content: "secret=3\n" });
      expect(denied.failed).toBe(true);
      expect(await t.sh("cat /etc/kplay-become.conf")).toBe("secret=2\n");
    } finally {
      await conn.close();
    }
  });
});

describe("copy arguments", () => {
  it("refuses src with content, and neither, before any remote command", async () => {
    const both = await t.run("copy", { src: "app.conf", content: "x", dest: "/srv/x" });
    expect(both).toMatchObject({ failed: true, msg: "copy: `src` and `content` are mutually exclusive; give only one" });
    const neither = await t.run("copy", { dest: "/srv/x" });
    expect(neither).toMatchObject({ failed: true, msg: "copy: one of `src`, `content` is required" });
    expect([...both.sent.runs, ...neither.sent.runs]).toEqual([]);
  });

  it("names a source it cannot find", async () => {
    const r = await t.run("copy", { src: "missing.conf", dest: "/srv/x" });
    expect(r.failed).toBe(true);
    expect(r.msg).toContain("could not find or access 'missing.conf'");
  });
});
