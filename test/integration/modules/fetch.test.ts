// fetch from a real host to this machine: layout DEST/HOST/SRC or flat, idempotent by checksum.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modfetch");
const local = mkdtempSync(join(tmpdir(), "kplay-fetch-"));
afterAll(() => rmSync(local, { recursive: true, force: true }));

describe("fetch", () => {
  it("stores the file under DEST/HOST/SRC, then finds it unchanged", async () => {
    await t.sh("mkdir -p /srv/fe && printf 'admin.conf\\n' > /srv/fe/admin.conf");
    const r = await t.run("fetch", { src: "/srv/fe/admin.conf", dest: local }, { host: "node-a" });
    const path = join(local, "node-a", "srv", "fe", "admin.conf");
    expect(r).toMatchObject({ changed: true, dest: path });
    expect(readFileSync(path, "utf8")).toBe("admin.conf\n");
    const again = await t.run("fetch", { src: "/srv/fe/admin.conf", dest: local }, { host: "node-a" });
    expect(again).toMatchObject({ changed: false, dest: path });
    expect(again.sent.gets).toEqual([]);
  });

  it("flat puts it at dest, or inside dest/ under its own name; check mode writes nothing", async () => {
    const checked = await t.run("fetch", { src: "/srv/fe/admin.conf", dest: `${local}/kubeconfig`, flat: true }, { check: true });
    expect(checked.changed).toBe(true);
    expect(existsSync(`${local}/kubeconfig`)).toBe(false);
    expect((await t.run("fetch", { src: "/srv/fe/admin.conf", dest: `${local}/kubeconfig`, flat: true })).changed).toBe(true);
    expect(readFileSync(`${local}/kubeconfig`, "utf8")).toBe("admin.conf\n");
    expect((await t.run("fetch", { src: "/srv/fe/admin.conf", dest: `${local}/flat/`, flat: "yes" })).dest).toBe(`${local}/flat/admin.conf`);
  });

  it("replaces a stale local copy", async () => {
    writeFileSync(`${local}/kubeconfig`, "stale\n");
    expect((await t.run("fetch", { src: "/srv/fe/admin.conf", dest: `${local}/kubeconfig`, flat: true })).changed).toBe(true);
    expect(readFileSync(`${local}/kubeconfig`, "utf8")).toBe("admin.conf\n");
  });

  it("fails on a missing file unless fail_on_missing is off, and on directories", async () => {
    expect(await t.run("fetch", { src: "/srv/fe/none", dest: local })).toMatchObject({
      failed: true,
      msg: "the remote file does not exist, not transferring, ignored",
    });
    expect(await t.run("fetch", { src: "/srv/fe/none", dest: local, fail_on_missing: false })).toMatchObject({ changed: false });
    expect(await t.run("fetch", { src: "/srv/fe", dest: local })).toMatchObject({
      failed: true,
      msg: "remote file is a directory, fetch cannot work on directories",
    });
  });
});
