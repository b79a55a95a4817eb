// unarchive on a real host: tar.gz and zip from this machine, a tar already on the host,
// strip-components, include, creates, attributes; idempotent by content.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modunarc");
const fixtures = mkdtempSync(join(tmpdir(), "kplay-unarchive-"));
const files = join(fixtures, "files");

beforeAll(() => {
  // etcd-v3.5.0-linux-amd64/{etcd,etcdctl,docs/README.md}, as release tarballs are laid out.
  const top = join(fixtures, "build", "etcd-v3.5.0-linux-amd64");
  mkdirSync(join(top, "docs"), { recursive: true });
  writeFileSync(join(top, "etcd"), "etcd binary\n", { mode: 0o755 });
  writeFileSync(join(top, "etcdctl"), "etcdctl binary\n", { mode: 0o755 });
  writeFileSync(join(top, "docs", "README.md"), "readme\n");
  mkdirSync(files);
  execFileSync("tar", ["-czf", join(files, "etcd.tar.gz"), "-C", join(fixtures, "build"), "etcd-v3.5.0-linux-amd64"]);
  execFileSync("zip", ["-qr", join(files, "etcd.zip"), "etcd-v3.5.0-linux-amd64"], { cwd: join(fixtures, "build") });
});
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

const ls = (dir: string) => t.sh(`cd ${dir} && find . -mindepth 1 | sort`).then((s) => s.split("\n").filter(Boolean));

describe("unarchive", () => {
  it("unpacks a tar.gz with --strip-components once; a second run finds it unpacked", async () => {
    await t.sh("mkdir -p /opt/etcd");
    const args = { src: "etcd.tar.gz", dest: "/opt/etcd", extra_opts: ["--strip-components=1"], list_files: true };
    const first = await t.run("unarchive", args, { fixturesDir: fixtures });
    expect(first.changed).toBe(true);
    expect(first.files).toEqual(["docs/", "docs/README.md", "etcd", "etcdctl"]);
    expect(await ls("/opt/etcd")).toEqual(["./docs", "./docs/README.md", "./etcd", "./etcdctl"]);
    expect(await t.sh("stat -c %a /opt/etcd/etcd")).toBe("755\n");
    const second = await t.run("unarchive", args, { fixturesDir: fixtures });
    expect(second.changed).toBe(false);
    expect(await t.sh("ls -A /tmp | grep -c kplay-unarchive || true")).toBe("0\n"); // uploaded copy removed
  });

  it("re-extracts a file that was changed on the host; check mode only reports it", async () => {
    await t.sh("echo tampered > /opt/etcd/etcdctl");
    const args = { src: "etcd.tar.gz", dest: "/opt/etcd", extra_opts: ["--strip-components=1"] };
    const checked = await t.run("unarchive", args, { fixturesDir: fixtures, check: true, diff: true });
    expect(checked.changed).toBe(true);
    expect(checked.diff![0].after).toBe("etcdctl: extracted\n");
    expect(await t.sh("cat /opt/etcd/etcdctl")).toBe("tampered\n");
    expect((await t.run("unarchive", args, { fixturesDir: fixtures })).changed).toBe(true);
    expect(await t.sh("cat /opt/etcd/etcdctl")).toBe("etcdctl binary\n");
  });

  it("unpacks only included members of a zip, with owner and mode", async () => {
    await t.sh("mkdir -p /opt/zip");
    const args = { src: "etcd.zip", dest: "/opt/zip", include: ["etcd-v3.5.0-linux-amd64/etcd"], owner: "nobody", mode: "0750" };
    expect((await t.run("unarchive", args, { fixturesDir: fixtures })).changed).toBe(true);
    expect(await ls("/opt/zip")).toEqual(["./etcd-v3.5.0-linux-amd64", "./etcd-v3.5.0-linux-amd64/etcd"]);
    expect(await t.sh("stat -c '%a %U' /opt/zip/etcd-v3.5.0-linux-amd64/etcd")).toBe("750 nobody\n");
    expect((await t.run("unarchive", args, { fixturesDir: fixtures })).changed).toBe(false);
    await t.sh("chmod 0777 /opt/zip/etcd-v3.5.0-linux-amd64/etcd");
    const fixed = await t.run("unarchive", args, { fixturesDir: fixtures, diff: true });
    expect(fixed).toMatchObject({ changed: true, msg: "attributes of 1 path(s) to set" });
    expect(fixed.diff![0].after).toBe("etcd-v3.5.0-linux-amd64/etcd: mode: 0750\n");
    expect(await t.sh("stat -c '%a %U' /opt/zip/etcd-v3.5.0-linux-amd64/etcd")).toBe("750 nobody\n");
  });

  it("unpacks an archive already on the host with remote_src, and honours creates", async () => {
    await t.sh("mkdir -p /opt/remote /srv/archives && tar -czf /srv/archives/a.tgz -C /opt/etcd etcd docs");
    const args = { src: "/srv/archives/a.tgz", dest: "/opt/remote", remote_src: true };
    expect((await t.run("unarchive", args)).changed).toBe(true);
    expect(await ls("/opt/remote")).toEqual(["./docs", "./docs/README.md", "./etcd"]);
    await t.sh("rm /opt/remote/etcd");
    const skipped = await t.run("unarchive", { ...args, creates: "/opt/remote/docs" });
    expect(skipped).toMatchObject({ changed: false, msg: "skipped, since /opt/remote/docs exists" });
    expect(await ls("/opt/remote")).toEqual(["./docs", "./docs/README.md"]);
  });

  it("fails clearly on a missing dest or source, and on bad arguments before any command", async () => {
    expect(await t.run("unarchive", { src: "etcd.tar.gz", dest: "/opt/none" }, { fixturesDir: fixtures })).toMatchObject({
      failed: true,
      msg: "dest '/opt/none' must be an existing dir",
    });
    expect(await t.run("unarchive", { src: "/srv/archives/none.tgz", dest: "/opt/remote", remote_src: true })).toMatchObject({
      failed: true,
      msg: "Source '/srv/archives/none.tgz' does not exist",
    });
    const r = await t.run("unarchive", { src: "etcd.tar.gz", dest: "/opt/etcd", extra_opts: "--strip-components=1", remote_source: true });
    expect(r).toMatchObject({ failed: true, msg: "unarchive: unknown argument `remote_source` — did you mean `remote_src`?" });
    expect(r.sent).toEqual({ runs: [], puts: [], gets: [], inspected: [] });
  });
});
