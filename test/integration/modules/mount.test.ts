// mount on a real host: tmpfs mounts inside the container's own mount namespace, and fstab swap
// entries (swapon itself would change the machine's swap, which containers share: not done here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;

beforeAll(async () => {
  bed = await startHosts(1, { names: "mount" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

const fstab = async () => (await host.exec("cat /etc/fstab")).stdout;
const mountLine = async (path: string) => (await host.exec(`grep ' ${path} ' /proc/mounts || true`)).stdout.trim();

describe("mount", () => {
  const tmpfs = { path: "/mnt/kplay data", src: "tmpfs", fstype: "tmpfs", opts: "size=1m" };

  it("check mode shows the fstab line and the mount, and does neither", async () => {
    const before = await fstab();
    const r = await runModule(conn, "mount", { ...tmpfs, state: "mounted" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toEqual([
      expect.objectContaining({ after: `${before}tmpfs /mnt/kplay\\040data tmpfs size=1m 0 0\n` }),
      expect.objectContaining({ before: "mounted: false\n", after: "mounted: true\n" }),
    ]);
    expect(await fstab()).toBe(before);
    expect(await mountLine("/mnt/kplay\\\\040data")).toBe("");
  });

  it("adds the entry and mounts it, then reports ok", async () => {
    const first = await runModule(conn, "mount", { ...tmpfs, state: "mounted" });
    expect(first.msg ?? "").toBe("");
    expect(first.changed).toBe(true);
    expect(await fstab()).toContain("tmpfs /mnt/kplay\\040data tmpfs size=1m 0 0\n");
    expect(await mountLine("/mnt/kplay\\\\040data")).toMatch(/^tmpfs \/mnt\/kplay\\040data tmpfs rw.*size=1024k/);

    const second = await runModule(conn, "mount", { ...tmpfs, state: "mounted" });
    expect(second.changed).toBe(false);
    expect(second.sent.runs).toHaveLength(1);
  });

  it("remounts with new options when the entry changes", async () => {
    const r = await runModule(conn, "mount", { ...tmpfs, opts: "size=2m", state: "mounted" });
    expect(r.changed).toBe(true);
    expect(await mountLine("/mnt/kplay\\\\040data")).toMatch(/size=2048k/);
    expect(await fstab()).toContain("tmpfs /mnt/kplay\\040data tmpfs size=2m 0 0\n");
  });

  it("unmounts, keeping the entry, then removes the entry", async () => {
    expect((await runModule(conn, "mount", { path: tmpfs.path, state: "unmounted" })).changed).toBe(true);
    expect(await mountLine("/mnt/kplay\\\\040data")).toBe("");
    expect(await fstab()).toContain("/mnt/kplay\\040data");
    expect((await runModule(conn, "mount", { path: tmpfs.path, state: "unmounted" })).changed).toBe(false);

    expect((await runModule(conn, "mount", { path: tmpfs.path, state: "absent" })).changed).toBe(true);
    expect(await fstab()).not.toContain("/mnt/kplay");
  });

  it("removes swap entries the way Kubespray disables swap", async () => {
    await host.exec(
      "printf '%s\\n' '# swap was on /dev/sda3' 'UUID=0a1b swap swap defaults 0 0' '/swapfile none swap sw 0 0' 'proc /proc proc defaults 0 0' > /etc/fstab",
    );
    for (const name of ["swap", "none"]) {
      const r = await runModule(conn, "ansible.posix.mount", { name, fstype: "swap", state: "absent" }, { diff: true });
      expect(r.changed).toBe(true);
    }
    expect(await fstab()).toBe("# swap was on /dev/sda3\nproc /proc proc defaults 0 0\n");
    expect((await runModule(conn, "mount", { name: "none", fstype: "swap", state: "absent" })).changed).toBe(false);
  });

  it("keeps swap entries on `none` apart by their source", async () => {
    for (const src of ["/swap1", "/swap2"]) {
      expect((await runModule(conn, "mount", { path: "none", src, fstype: "swap", opts: "sw", state: "present" })).changed).toBe(true);
    }
    expect(await fstab()).toBe("# swap was on /dev/sda3\nproc /proc proc defaults 0 0\n/swap1 none swap sw 0 0\n/swap2 none swap sw 0 0\n");
    expect((await runModule(conn, "mount", { path: "none", src: "/swap2", fstype: "swap", opts: "sw", state: "present" })).changed).toBe(false);
  });

  it("rejects invalid arguments before any remote command", async () => {
    for (const args of [{ path: "/mnt/x" }, { path: "/mnt/x", state: "mount" }, { path: "/mnt/x", state: "absent", dump: "x" }]) {
      const r = await runModule(conn, "mount", args);
      expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    }
  });
});
