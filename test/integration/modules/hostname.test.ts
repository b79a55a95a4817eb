// hostname on a real host: each container has its own UTS namespace, so the kernel's name is safe to change.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { runModule } from "../../support/module-harness.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "../connection/test-specs.js";

let bed: TestHosts;
let host: TestHost;
let conn: SshConnection;

beforeAll(async () => {
  bed = await startHosts(1, { names: "hostname" });
  host = bed.hosts[0];
  conn = new SshConnection(specFor(bed, host));
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

async function names(): Promise<{ kernel: string; file: string }> {
  const kernel = (await host.exec("cat /proc/sys/kernel/hostname")).stdout.trim();
  const file = (await host.exec("cat /etc/hostname")).stdout.trim();
  return { kernel, file };
}

describe("hostname", () => {
  it("check mode shows the rename and changes nothing", async () => {
    const before = await names();
    const r = await runModule(conn, "hostname", { name: "node-a.cluster.local" }, { check: true, diff: true });
    expect(r.changed).toBe(true);
    expect(r.diff?.[0]).toMatchObject({
      before: `hostname: ${before.kernel}\n/etc/hostname: ${before.file}\n`,
      after: "hostname: node-a.cluster.local\n/etc/hostname: node-a.cluster.local\n",
    });
    expect(await names()).toEqual(before);
  });

  it("sets the kernel's and the persisted name, then reports ok", async () => {
    const first = await runModule(conn, "hostname", { name: "node-a.cluster.local" });
    expect(first.msg ?? "").toBe("");
    expect(first).toMatchObject({ changed: true, ansible_facts: { ansible_hostname: "node-a", ansible_nodename: "node-a.cluster.local", ansible_domain: "cluster.local" } });
    expect(await names()).toEqual({ kernel: "node-a.cluster.local", file: "node-a.cluster.local" });

    const second = await runModule(conn, "hostname", { name: "node-a.cluster.local" });
    expect(second.changed).toBe(false);
    expect(second.sent.runs).toHaveLength(1);
  });

  it("converges with the file strategy when only the kernel's name drifted", async () => {
    await host.exec("printf drifted > /proc/sys/kernel/hostname");
    const r = await runModule(conn, "hostname", { name: "node-a.cluster.local", use: "debian" });
    expect(r.changed).toBe(true);
    expect(await names()).toEqual({ kernel: "node-a.cluster.local", file: "node-a.cluster.local" });
  });

  it("refuses use=systemd where hostnamectl cannot reach systemd-hostnamed", async () => {
    expect((await host.exec("hostnamectl --static")).rc).not.toBe(0); // no D-Bus in the test hosts
    const r = await runModule(conn, "hostname", { name: "node-b", use: "systemd" });
    expect(r).toMatchObject({ failed: true, msg: expect.stringMatching(/needs hostnamectl reaching systemd-hostnamed/) });
    expect((await names()).kernel).toBe("node-a.cluster.local");
  });

  it("rejects invalid arguments before any remote command", async () => {
    for (const args of [{ name: "bad name" }, { name: "ok", use: "windows" }, {}]) {
      const r = await runModule(conn, "hostname", args);
      expect(r).toMatchObject({ failed: true, sent: { runs: [], puts: [], gets: [] } });
    }
  });
});
