// modprobe on a real host. This kernel has no loadable modules and the containers no /lib/modules:
// overlay, nf_conntrack and br_netfilter are built in, ip_vs is absent. Loading a loadable module
// is covered by the unit tests of the plan.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;

beforeAll(async () => {
  bed = await startHosts(1, { names: "modprobe" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

async function read(path: string): Promise<string | undefined> {
  const r = await host.exec(`cat ${path}`);
  return r.rc === 0 ? r.stdout : undefined;
}

describe("modprobe", () => {
  it("reports a module built into the kernel (with a /sys/module entry) as present", async () => {
    expect((await host.exec("test -d /sys/module/overlay && ! test -e /sys/module/overlay/initstate")).rc).toBe(0);
    const r = await runModule(conn, "modprobe", { name: "overlay" });
    expect(r).toMatchObject({ changed: false, builtin: true, name: "overlay" });
  });

  it("recognizes br_netfilter, built in without a /sys/module entry, by its sysctls", async () => {
    expect((await host.exec("test -e /sys/module/br_netfilter")).rc).toBe(1);
    expect((await host.exec("test -d /proc/sys/net/bridge")).rc).toBe(0);
    const r = await runModule(conn, "modprobe", { name: "br_netfilter", state: "present" });
    expect(r).toMatchObject({ changed: false, builtin: true });
  });

  it("writes the persistence files, then is idempotent", async () => {
    const args = { name: "br_netfilter", persistent: "present", params: "" };
    const first = await runModule(conn, "modprobe", args, { diff: true });
    expect(first.changed).toBe(true);
    expect(first.diff).toEqual([expect.objectContaining({ before: "", after: "br_netfilter\n", afterHeader: "/etc/modules-load.d/br_netfilter.conf" })]);
    expect(await read("/etc/modules-load.d/br_netfilter.conf")).toBe("br_netfilter\n");
    expect(await read("/etc/modprobe.d/br_netfilter.conf")).toBeUndefined();

    const second = await runModule(conn, "modprobe", args);
    expect(second.changed).toBe(false);
    expect(second.sent).toEqual({ runs: [expect.any(String)], puts: [], gets: [], inspected: [] });
  });

  it("persists module options and removes both files with persistent=absent", async () => {
    const withParams = await runModule(conn, "modprobe", { name: "nf_conntrack", params: "hashsize=65536", persistent: "present" });
    expect(withParams).toMatchObject({ changed: true, builtin: true });
    expect(await read("/etc/modprobe.d/nf_conntrack.conf")).toBe("options nf_conntrack hashsize=65536\n");
    expect(await read("/etc/modules-load.d/nf_conntrack.conf")).toBe("nf_conntrack\n");

    const removed = await runModule(conn, "modprobe", { name: "nf_conntrack", persistent: "absent" });
    expect(removed.changed).toBe(true);
    expect(await read("/etc/modprobe.d/nf_conntrack.conf")).toBeUndefined();
    expect(await read("/etc/modules-load.d/nf_conntrack.conf")).toBeUndefined();
  });

  it("leaves persistence to a file that already loads the module, as Kubespray's does", async () => {
    await host.exec("echo overlay > /etc/modules-load.d/kubespray-overlay.conf");
    const r = await runModule(conn, "modprobe", { name: "overlay", persistent: "present" });
    expect(r.changed).toBe(false);
    expect(await read("/etc/modules-load.d/overlay.conf")).toBeUndefined();
  });

  it("check mode reports the change and writes nothing", async () => {
    const r = await runModule(conn, "modprobe", { name: "vxlan", persistent: "present" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff?.length).toBe(1);
    expect(await read("/etc/modules-load.d/vxlan.conf")).toBeUndefined();
    expect(r.sent.puts).toEqual([]);
  });

  it("fails clearly for a module that does not exist for this kernel, in check mode too", async () => {
    for (const check of [false, true]) {
      const r = await runModule(conn, "modprobe", { name: "ip_vs", persistent: "present" }, { check });
      expect(r.failed).toBe(true);
      expect(r.msg).toMatch(/kernel module ip_vs not found: it is not loaded, not built into the kernel/);
    }
    expect(await read("/etc/modules-load.d/ip_vs.conf")).toBeUndefined();
  });

  it("refuses to unload a built-in module", async () => {
    const r = await runModule(conn, "modprobe", { name: "overlay", state: "absent" });
    expect(r).toMatchObject({ failed: true, msg: "kernel module overlay is built into the kernel and cannot be unloaded" });
  });

  it("rejects invalid arguments before any remote command", async () => {
    const r = await runModule(conn, "modprobe", { name: "ip_vs; reboot" });
    expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    const p = await runModule(conn, "modprobe", { name: "ip_vs", persistent: "yes" });
    expect(p).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
  });
});
