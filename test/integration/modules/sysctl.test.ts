// sysctl on a real host: net.* keys only (each container has its own network namespace).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;
const FILE = "/etc/sysctl.d/99-kplay.conf";

beforeAll(async () => {
  bed = await startHosts(1, { names: "sysctl" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

async function live(key: string): Promise<string> {
  return (await host.exec(`cat /proc/sys/${key.replaceAll(".", "/")}`)).stdout.trim();
}

describe("sysctl", () => {
  it("sets the live value and persists it, then reports ok with one probe", async () => {
    await host.exec("echo 0 > /proc/sys/net/ipv4/ip_forward");
    const first = await runModule(conn, "sysctl", { name: "net.ipv4.ip_forward", value: "1" });
    expect(first).toMatchObject({ changed: true, name: "net.ipv4.ip_forward", value: "1" });
    expect(first.failed).toBeUndefined();
    expect(await live("net.ipv4.ip_forward")).toBe("1");
    expect((await host.exec(`cat ${FILE}`)).stdout).toBe("net.ipv4.ip_forward=1\n");

    const second = await runModule(conn, "sysctl", { name: "net.ipv4.ip_forward", value: 1 });
    expect(second.changed).toBe(false);
    expect(second.sent).toEqual({ runs: [], puts: [], gets: [], inspected: expect.arrayContaining([expect.any(String)]) });
  });

  it("keeps other settings of the file and converges a live value changed by hand", async () => {
    await runModule(conn, "sysctl", { name: "net.core.somaxconn", value: "1024" });
    await host.exec("echo 4096 > /proc/sys/net/core/somaxconn");
    const drift = await runModule(conn, "sysctl", { name: "net.core.somaxconn", value: "1024" });
    expect(drift.changed).toBe(true);
    expect(await live("net.core.somaxconn")).toBe("1024");
    expect((await host.exec(`cat ${FILE}`)).stdout).toBe("net.ipv4.ip_forward=1\nnet.core.somaxconn=1024\n");
  });

  it("check mode reports the change, shows the diff and touches nothing", async () => {
    const fileBefore = (await host.exec(`cat ${FILE}`)).stdout;
    const r = await runModule(conn, "sysctl", { name: "net.ipv4.tcp_syncookies", value: "0", sysctl_file: "/etc/sysctl.d/50-check.conf" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff).toEqual([
      expect.objectContaining({ before: "", after: "net.ipv4.tcp_syncookies=0\n", afterHeader: "/etc/sysctl.d/50-check.conf" }),
      expect.objectContaining({ before: "1\n", after: "0\n", beforeHeader: "/proc/sys/net/ipv4/tcp_syncookies (live)" }),
    ]);
    expect(await live("net.ipv4.tcp_syncookies")).toBe("1");
    expect((await host.exec("test -e /etc/sysctl.d/50-check.conf")).rc).toBe(1);
    expect((await host.exec(`cat ${FILE}`)).stdout).toBe(fileBefore);
    expect(r.sent.puts).toEqual([]);
  });

  it("removes the setting with state absent", async () => {
    const r = await runModule(conn, "sysctl", { name: "net.core.somaxconn", state: "absent" }, { diff: true });
    expect(r.changed).toBe(true);
    expect((await host.exec(`cat ${FILE}`)).stdout).toBe("net.ipv4.ip_forward=1\n");
    expect((await runModule(conn, "sysctl", { name: "net.core.somaxconn", state: "absent" })).changed).toBe(false);
  });

  it("fails clearly on a key the kernel lacks, naming the module to load", async () => {
    const r = await runModule(conn, "sysctl", { name: "net.ipv4.vs.conntrack", value: "1" });
    expect(r.failed).toBe(true);
    expect(r.msg).toMatch(/net\.ipv4\.vs\.conntrack does not exist on this kernel.*modprobe: name=ip_vs/);
    expect((await host.exec(`grep -c vs.conntrack ${FILE} || true`)).stdout.trim()).toBe("0");
  });

  it("works through become, as a sudoer whose sudo asks for a password", async () => {
    const deploy = new SshConnection(specFor(bed, host, { user: bed.deployUser, password: bed.deployPassword, privateKeyFiles: [] }));
    try {
      const become = { user: "root", password: bed.deployPassword };
      const r = await runModule(deploy, "sysctl", { name: "net.ipv4.tcp_keepalive_time", value: "600", sysctl_file: "/etc/sysctl.d/60-become.conf" }, { become });
      expect(r.msg ?? "").toBe("");
      expect(r.changed).toBe(true);
      expect(await live("net.ipv4.tcp_keepalive_time")).toBe("600");
      expect((await host.exec("stat -c %U /etc/sysctl.d/60-become.conf")).stdout.trim()).toBe("root");
    } finally {
      await deploy.close();
    }
  });

  it("rejects invalid arguments before any remote command", async () => {
    const r = await runModule(conn, "sysctl", { name: "net.ipv4.ip_forward", value: "1", state: "presnt" });
    expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    expect(r.msg).toMatch(/did you mean `present`/);
  });
});
