// file on a real host: states, attributes, links, recursion, check and diff modes.
import { describe, expect, it } from "vitest";
import { renderDiff } from "../../../src/modules/lib/diff.js";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modfile");

/** "type mode owner:group" of a path, read without kplay. */
const statOf = (path: string) => t.sh(`stat -c '%F %a %U:%G' ${path}`).then((s) => s.trim());

describe("file state=directory", () => {
  it("creates with mode and owner, then reports ok after one probe", async () => {
    const args = { path: "/srv/f1/a/b", state: "directory", mode: "0750", owner: "nobody", group: "nogroup" };
    const first = await t.run("file", args);
    expect(first).toMatchObject({ changed: true, path: "/srv/f1/a/b", state: "directory" });
    expect(await statOf("/srv/f1/a/b")).toBe("directory 750 nobody:nogroup");
    expect(await statOf("/srv/f1/a")).toBe("directory 750 nobody:nogroup"); // created parents too, as Ansible does
    expect(await statOf("/srv")).toBe("directory 755 root:root");

    const second = await t.run("file", args);
    expect(second.changed).toBe(false);
    expect(second.failed).toBeUndefined();
    expect(second.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("check mode reports the change, shows it under diff, and touches nothing", async () => {
    const r = await t.run("file", { path: "/srv/f1/check", state: "directory" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(renderDiff(r.diff![0])).toMatch(/-state: absent\n\+state: directory/);
    expect((await t.host.exec("test -e /srv/f1/check")).rc).toBe(1);
  });

  it("fails on a file in the way", async () => {
    await t.sh("mkdir -p /srv/f1 && echo x > /srv/f1/plain");
    const r = await t.run("file", { path: "/srv/f1/plain", state: "directory" });
    expect(r).toMatchObject({ failed: true, msg: "/srv/f1/plain already exists as a file" });
  });

  it("applies mode and owner recursively, and is idempotent", async () => {
    await t.sh("mkdir -p /srv/f1/tree/sub && touch /srv/f1/tree/x /srv/f1/tree/sub/y && chmod 0600 /srv/f1/tree/sub/y");
    const args = { path: "/srv/f1/tree", state: "directory", recurse: true, owner: "nobody", mode: "u=rwX,g=rX,o=" };
    expect((await t.run("file", args)).changed).toBe(true);
    expect(await statOf("/srv/f1/tree/sub")).toBe("directory 750 nobody:root");
    expect(await statOf("/srv/f1/tree/sub/y")).toBe("regular empty file 640 nobody:root");
    expect(await statOf("/srv/f1/tree/x")).toBe("regular empty file 640 nobody:root");
    expect((await t.run("file", args)).changed).toBe(false);
  });
});

describe("file state=file/touch/absent", () => {
  it("changes a file's mode symbolically; a missing file is an error", async () => {
    await t.sh("mkdir -p /srv/f2 && echo hi > /srv/f2/conf && chmod 0644 /srv/f2/conf");
    const r = await t.run("file", { path: "/srv/f2/conf", mode: "u=rw,g=,o=" }, { diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff![0]).toMatchObject({ before: "path: /srv/f2/conf\nstate: file\nmode: 0644\n" });
    expect(await statOf("/srv/f2/conf")).toBe("regular file 600 root:root");
    expect((await t.run("file", { path: "/srv/f2/conf", mode: "0600" })).changed).toBe(false);
    expect(await t.run("file", { path: "/srv/f2/missing", state: "file" })).toMatchObject({
      failed: true,
      msg: "file (/srv/f2/missing) is absent, cannot continue",
    });
  });

  it("touch creates a file with the asked mode and always reports changed, like Ansible", async () => {
    const args = { path: "/srv/f2/stamp", state: "touch", mode: "0640" };
    expect((await t.run("file", args)).changed).toBe(true);
    expect(await statOf("/srv/f2/stamp")).toBe("regular empty file 640 root:root");
    expect((await t.run("file", args)).changed).toBe(true);
  });

  it("absent removes a directory tree; check mode leaves it", async () => {
    await t.sh("mkdir -p /srv/f2/gone/deep && touch /srv/f2/gone/deep/f");
    const checked = await t.run("file", { path: "/srv/f2/gone", state: "absent" }, { check: true });
    expect(checked.changed).toBe(true);
    await t.sh("test -f /srv/f2/gone/deep/f");
    expect((await t.run("file", { path: "/srv/f2/gone", state: "absent" })).changed).toBe(true);
    expect((await t.host.exec("test -e /srv/f2/gone")).rc).toBe(1);
    expect((await t.run("file", { path: "/srv/f2/gone", state: "absent" })).changed).toBe(false);
  });
});

describe("file links", () => {
  it("creates, keeps and retargets a symlink; refuses to replace a file without force", async () => {
    await t.sh("mkdir -p /srv/f3 && echo a > /srv/f3/a && echo b > /srv/f3/b && echo keep > /srv/f3/regular");
    const link = { path: "/srv/f3/link", src: "a", state: "link" };
    expect((await t.run("file", link)).changed).toBe(true);
    expect((await t.sh("readlink /srv/f3/link")).trim()).toBe("a");
    expect((await t.run("file", link)).changed).toBe(false);

    const retarget = await t.run("file", { ...link, src: "b" }, { diff: true });
    expect(retarget.changed).toBe(true);
    expect(retarget.diff![0]).toMatchObject({ before: expect.stringContaining("src: a\n"), after: expect.stringContaining("src: b\n") });
    expect((await t.sh("cat /srv/f3/link")).trim()).toBe("b");

    expect(await t.run("file", { path: "/srv/f3/regular", src: "a", state: "link" })).toMatchObject({
      failed: true,
      msg: "refusing to convert from file to symlink for /srv/f3/regular",
    });
    expect(await t.run("file", { path: "/srv/f3/dangling", src: "nope", state: "link" })).toMatchObject({ failed: true });
    expect((await t.run("file", { path: "/srv/f3/dangling", src: "nope", state: "link", force: true })).changed).toBe(true);
  });

  it("hard links share the inode and are idempotent", async () => {
    await t.sh("mkdir -p /srv/f4 && echo data > /srv/f4/orig");
    const args = { path: "/srv/f4/hard", src: "/srv/f4/orig", state: "hard" };
    expect((await t.run("file", args)).changed).toBe(true);
    expect((await t.sh("stat -c %i /srv/f4/orig /srv/f4/hard")).split("\n").filter(Boolean)).toHaveLength(2);
    const [a, b] = (await t.sh("stat -c %i /srv/f4/orig /srv/f4/hard")).trim().split("\n");
    expect(a).toBe(b);
    expect((await t.run("file", args)).changed).toBe(false);
  });
});

describe("file arguments", () => {
  it("rejects a typo in state with a suggestion, before any remote command", async () => {
    const r = await t.run("file", { path: "/srv/x", state: "directroy" });
    expect(r.failed).toBe(true);
    expect(r.msg).toContain("`state` must be one of file, directory, link, hard, touch, absent; got `directroy` — did you mean `directory`?");
    expect(r.sent).toEqual({ runs: [], puts: [], gets: [], inspected: [] });
  });

  it("accepts Ansible's aliases and boolean spellings", async () => {
    const r = await t.run("file", { dest: "/srv/f5", state: "directory", recurse: "yes" });
    expect(r).toMatchObject({ changed: true, path: "/srv/f5" });
  });
});
