// package with apt on a real host, hermetic: .debs built here with dpkg-deb, served to the host's
// apt from a local repository (`deb [trusted=yes] file:/srv/repo ./`), Debian's mirrors removed.
// dnf and yum: no such host here; their command planning is unit-tested.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;
let work: string;

interface Deb {
  name: string;
  version: string;
  recommends?: string;
  preinst?: string;
}

function buildDeb(repo: string, deb: Deb): void {
  const root = path.join(work, `${deb.name}-${deb.version}`);
  mkdirSync(path.join(root, "DEBIAN"), { recursive: true });
  mkdirSync(path.join(root, "usr/share/kplay-test"), { recursive: true });
  writeFileSync(path.join(root, "usr/share/kplay-test", deb.name), `${deb.version}\n`);
  const control = [
    `Package: ${deb.name}`,
    `Version: ${deb.version}`,
    "Architecture: all",
    "Maintainer: kplay tests <tests@kplay.invalid>",
    ...(deb.recommends ? [`Recommends: ${deb.recommends}`] : []),
    `Description: kplay test package ${deb.name}`,
    "",
  ].join("\n");
  writeFileSync(path.join(root, "DEBIAN/control"), control);
  if (deb.preinst) {
    writeFileSync(path.join(root, "DEBIAN/preinst"), `#!/bin/sh\n${deb.preinst}\n`);
    chmodSync(path.join(root, "DEBIAN/preinst"), 0o755);
  }
  execFileSync("dpkg-deb", ["--build", "--root-owner-group", root, path.join(repo, `${deb.name}_${deb.version}_all.deb`)], { stdio: "ignore" });
}

beforeAll(async () => {
  bed = await startHosts(1, { names: "package" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));

  work = mkdtempSync(path.join(os.tmpdir(), "kplay-package-test-"));
  const repo = path.join(work, "repo");
  mkdirSync(repo);
  const debs: Deb[] = [
    { name: "kplay-hello", version: "1.0-1" },
    { name: "kplay-hello", version: "1.1-1" },
    { name: "kplay-rec", version: "1.0-1", recommends: "kplay-extra" },
    { name: "kplay-extra", version: "1.0-1" },
    // Holds dpkg's lock for a while: another apt client busy on the host.
    { name: "kplay-slow", version: "1.0-1", preinst: "touch /tmp/slow-started; sleep 8" },
  ];
  for (const deb of debs) buildDeb(repo, deb);
  const packages = execFileSync("dpkg-scanpackages", ["--multiversion", ".", "/dev/null"], { cwd: repo, stdio: ["ignore", "pipe", "ignore"] });
  writeFileSync(path.join(repo, "Packages"), packages);

  await host.exec("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/* && mkdir -p /srv/repo");
  for (const file of readdirSync(repo)) await conn.put(readFileSync(path.join(repo, file)), `/srv/repo/${file}`);
  await host.exec("echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list.d/kplay.list");
  // The image's package lists are as old as the image: make them look stale, as on a long-lived host.
  await host.exec("touch -d '2 days ago' /var/lib/apt/lists && rm -f /var/lib/apt/periodic/update-success-stamp");
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function installed(name: string): Promise<string | undefined> {
  const r = await host.exec(`dpkg-query -W -f '\${Version} \${db:Status-Abbrev}' ${name}`);
  const [version, status] = r.stdout.split(" ");
  return r.rc === 0 && status?.[1] === "i" ? version : undefined; // "ii", or "hi" when held
}

describe("package (apt)", () => {
  it("updates the cache and installs a pinned version, then reports ok with one probe", async () => {
    const args = { name: "kplay-hello=1.0-1", update_cache: true, cache_valid_time: 3600 };
    const first = await runModule(conn, "package", args);
    expect(first.msg ?? "").toBe("");
    expect(first).toMatchObject({ changed: true, cache_updated: true, packages: { "kplay-hello": "1.0-1" } });
    expect(await installed("kplay-hello")).toBe("1.0-1");

    const second = await runModule(conn, "package", args);
    expect(second).toMatchObject({ changed: false, cache_updated: false });
    expect(second.sent.runs).toHaveLength(1);
  });

  it("check mode shows an upgrade to the latest version and changes nothing", async () => {
    const r = await runModule(conn, "package", { name: ["kplay-hello"], state: "latest" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff?.[0]).toMatchObject({ before: "kplay-hello: 1.0-1\n", after: "kplay-hello: 1.1-1\n" });
    expect(await installed("kplay-hello")).toBe("1.0-1");
  });

  it("upgrades to the latest version, then reports ok", async () => {
    expect((await runModule(conn, "package", { name: "kplay-hello", state: "latest" })).changed).toBe(true);
    expect(await installed("kplay-hello")).toBe("1.1-1");
    expect((await runModule(conn, "package", { name: "kplay-hello", state: "latest" })).changed).toBe(false);
  });

  it("downgrades to a wildcard pin when allowed, and holds it", async () => {
    const args = { name: "kplay-hello=1.0*", allow_downgrade: true, hold: true };
    const r = await runModule(conn, "package", args);
    expect(r.msg ?? "").toBe("");
    expect(r.changed).toBe(true);
    expect(await installed("kplay-hello")).toBe("1.0-1");
    expect((await host.exec("apt-mark showhold")).stdout).toBe("kplay-hello\n");
    expect((await runModule(conn, "package", args)).changed).toBe(false);

    expect((await runModule(conn, "package", { name: "kplay-hello", hold: false })).changed).toBe(true);
    expect((await host.exec("apt-mark showhold")).stdout).toBe("");
  });

  it("does not install recommended packages by default", async () => {
    expect((await runModule(conn, "package", { name: "kplay-rec" })).changed).toBe(true);
    expect(await installed("kplay-rec")).toBe("1.0-1");
    expect(await installed("kplay-extra")).toBeUndefined();
  });

  it("refreshes the cache alone as Kubespray does with `apt: update_cache cache_valid_time`", async () => {
    const stale = await runModule(conn, "apt", { update_cache: true });
    expect(stale).toMatchObject({ changed: true, cache_updated: true });
    const fresh = await runModule(conn, "ansible.builtin.apt", { update_cache: true, cache_valid_time: 3600 });
    expect(fresh).toMatchObject({ changed: false, cache_updated: false });
    expect(fresh.sent.runs).toHaveLength(1);
  });

  it("removes packages", async () => {
    const r = await runModule(conn, "package", { name: ["kplay-rec", "kplay-hello"], state: "absent" }, { diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff?.[0].after).toBe("kplay-rec: absent\nkplay-hello: absent\n");
    expect(await installed("kplay-rec")).toBeUndefined();
    expect(await installed("kplay-hello")).toBeUndefined();
    expect((await runModule(conn, "package", { name: ["kplay-rec", "kplay-hello"], state: "absent" })).changed).toBe(false);
  });

  it("fails before installing anything when a package does not exist", async () => {
    const r = await runModule(conn, "package", { name: ["kplay-extra", "kplay-nope"] });
    expect(r).toMatchObject({ failed: true, msg: "No package matching 'kplay-nope' is available" });
    expect(await installed("kplay-extra")).toBeUndefined();
    const pin = await runModule(conn, "package", { name: "kplay-hello=9.9" });
    expect(pin).toMatchObject({ failed: true, msg: "No package matching 'kplay-hello=9.9' is available" });
  });

  it("waits while another apt holds the dpkg lock, and says so when it gives up", async () => {
    await host.exec("rm -f /tmp/slow-started; setsid sh -c 'DEBIAN_FRONTEND=noninteractive apt-get install -y kplay-slow' >/tmp/slow.log 2>&1 </dev/null &");
    await host.exec("for i in $(seq 100); do [ -e /tmp/slow-started ] && exit 0; sleep 0.1; done; exit 1");

    const impatient = await runModule(conn, "package", { name: "kplay-extra", lock_timeout: 1 });
    expect(impatient.failed).toBe(true);
    expect(impatient.msg).toMatch(/the package database stayed locked by another process for \d+ s \(\d+ attempts, lock_timeout=1\).*lock-frontend.*held by process \d+ \(apt-get\)/s);

    const patient = await runModule(conn, "package", { name: "kplay-extra", lock_timeout: 60 });
    expect(patient.msg ?? "").toBe("");
    expect(patient.changed).toBe(true);
    expect(await installed("kplay-extra")).toBe("1.0-1");
    expect(await installed("kplay-slow")).toBe("1.0-1");
  });

  it("rejects invalid arguments before any remote command", async () => {
    for (const args of [{ name: "kplay-hello", state: "installd" }, { name: "bad name;rm" }, { name: "x", cache_valid_time: "soon" }, { name: "x", use: "pacman" }]) {
      const r = await runModule(conn, "package", args);
      expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    }
  });
});
