// stat on a real host: files, directories, links, checksums — compared with what the host says.
import { describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modstat");

describe("stat", () => {
  it("reports a regular file like Ansible, with its sha1 by default", async () => {
    await t.sh("mkdir -p /srv/s && printf 'hello\\n' > /srv/s/f && chown nobody:nogroup /srv/s/f && chmod 0640 /srv/s/f");
    const [uid, gid, mtime, inode] = (await t.sh("stat -c '%u %g %Y %i' /srv/s/f")).trim().split(" ").map(Number);
    const sha1 = (await t.sh("sha1sum /srv/s/f")).split(" ")[0];
    const r = await t.run("stat", { path: "/srv/s/f" });
    expect(r.changed).toBe(false);
    expect(r.stat).toEqual({
      exists: true,
      path: "/srv/s/f",
      mode: "0640",
      isdir: false,
      isreg: true,
      islnk: false,
      uid,
      gid,
      pw_name: "nobody",
      gr_name: "nogroup",
      size: 6,
      mtime,
      inode,
      dev: expect.any(Number),
      nlink: 1,
      checksum: sha1,
      readable: true,
      writeable: true,
      executable: false,
    });
    expect(r.sent.runs).toHaveLength(1);
  });

  it("uses the asked checksum algorithm, or none", async () => {
    const sha256 = (await t.sh("sha256sum /srv/s/f")).split(" ")[0];
    expect(((await t.run("stat", { path: "/srv/s/f", checksum_algorithm: "sha256" })).stat as { checksum: string }).checksum).toBe(sha256);
    expect((await t.run("stat", { path: "/srv/s/f", get_checksum: false })).stat).not.toHaveProperty("checksum");
  });

  it("reports links, following them only when asked, and missing paths", async () => {
    await t.sh("ln -sfn /srv/s/f /srv/s/l && mkdir -p /srv/s/d");
    await t.sh("ln -sfn ../s/f /srv/s/rel");
    expect((await t.run("stat", { path: "/srv/s/l" })).stat).toMatchObject({ islnk: true, isreg: false, lnk_target: "/srv/s/f" });
    expect((await t.run("stat", { path: "/srv/s/rel" })).stat).toMatchObject({ islnk: true, lnk_target: "../s/f", lnk_source: "/srv/s/f" });
    expect((await t.run("stat", { path: "/srv/s/l", follow: true })).stat).toMatchObject({ islnk: false, isreg: true, mode: "0640" });
    expect((await t.run("stat", { path: "/srv/s/d" })).stat).toMatchObject({ isdir: true, mode: "0755" });
    expect((await t.run("stat", { path: "/srv/s/none" })).stat).toEqual({ exists: false });
  });

  it("is the same in check mode and rejects unknown algorithms before running", async () => {
    expect((await t.run("stat", { path: "/srv/s/f" }, { check: true })).stat).toMatchObject({ exists: true });
    const r = await t.run("stat", { path: "/srv/s/f", checksum_algorithm: "sha257" });
    expect(r).toMatchObject({ failed: true });
    expect(r.msg).toContain("did you mean `sha256`?");
    expect(r.sent.runs).toEqual([]);
  });
});
