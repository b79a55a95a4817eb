// Reaching hosts through jump hosts, and what happens when hosts go away or come back.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectionPool } from "../../../src/engine/connection/pool.js";
import { behindBastion, resolveConnectionSpec } from "../../../src/engine/connection/spec.js";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { KplayError } from "../../../src/engine/errors.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { specFor } from "./test-specs.js";

let bed: TestHosts;

beforeAll(async () => {
  bed = await startHosts(4, { names: "reach" });
});

afterAll(async () => {
  await bed?.stopAll();
});

async function rejection(promise: Promise<unknown>): Promise<KplayError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(KplayError);
  return error as KplayError;
}

describe("from inventory variables", () => {
  it("connects with what the test inventory sets, known_hosts from ansible_ssh_common_args included", async () => {
    const host = bed.host("reach1");
    const vars = {
      ansible_host: host.address,
      ansible_port: host.port,
      ansible_user: "root",
      ansible_ssh_private_key_file: bed.privateKeyPath,
      ansible_ssh_common_args: `-o UserKnownHostsFile=${bed.knownHostsPath} -o StrictHostKeyChecking=yes`,
    };
    const spec = resolveConnectionSpec("reach1", vars, { user: "ignored-cli-user" }, "/nonexistent/ssh_config");
    expect(spec).toMatchObject({ host: "127.0.0.1", port: host.port, user: "root", acceptNewHostKeys: false });
    const pool = new ConnectionPool();
    try {
      expect((await pool.get(spec).run("hostname")).stdout).toBe("reach1\n");
    } finally {
      await pool.closeAll();
    }
  });
});

describe("jump hosts", () => {
  it("reaches hosts by their private address through a shared bastion", async () => {
    const pool = new ConnectionPool();
    const bastion = specFor(bed, bed.host("reach1"));
    try {
      for (const name of ["reach2", "reach3"]) {
        const target = bed.host(name);
        const conn = pool.get(behindBastion(specFor(bed, target, { host: target.containerIp, port: 22 }), bastion));
        expect((await conn.run("hostname")).stdout).toBe(`${name}\n`);
        // sshd sees the connection coming from the bastion's private address.
        expect((await conn.run("echo $SSH_CLIENT")).stdout.split(" ")[0]).toBe(bed.host("reach1").containerIp);
      }
      expect(pool.handshakes).toBe(3); // the bastion once, each target once
      const again = behindBastion(specFor(bed, bed.host("reach2"), { host: bed.host("reach2").containerIp, port: 22 }), bastion);
      expect(pool.get(again)).toBe(pool.get(again));
    } finally {
      await pool.closeAll();
    }
  });

  it("follows ProxyJump and HostName from ~/.ssh/config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kplay-ssh-config-"));
    const target = bed.host("reach2");
    const jump = bed.host("reach1");
    const config = join(dir, "config");
    writeFileSync(config, [
      `Host reach2`,
      `  HostName ${target.containerIp}`,
      `  ProxyJump root@jumpbox`,
      `Host jumpbox`,
      `  HostName ${jump.address}`,
      `  Port ${jump.port}`,
      `Host *`,
      `  IdentityFile ${bed.privateKeyPath}`,
      `  UserKnownHostsFile ${bed.knownHostsPath}`,
      `  User root`,
      ``,
    ].join("\n"));
    const spec = resolveConnectionSpec("reach2", {}, {}, config);
    expect(spec.jump).toMatchObject({ host: jump.address, port: jump.port, user: "root" });
    const conn = new SshConnection(spec);
    try {
      expect((await conn.run("hostname")).stdout).toBe("reach2\n");
    } finally {
      await conn.close();
    }
  });
});

describe("hosts going away and coming back", () => {
  it("reconnects once after the host restarted between commands", async () => {
    const host = bed.host("reach2");
    const conn = new SshConnection(specFor(bed, host));
    try {
      const bootBefore = (await conn.run("cat /proc/sys/kernel/random/boot_id; cat /proc/1/stat | cut -d' ' -f22")).stdout;
      await host.restart();
      const r = await conn.run("cat /proc/sys/kernel/random/boot_id; cat /proc/1/stat | cut -d' ' -f22");
      expect(r.rc).toBe(0);
      expect(r.stdout).not.toBe(bootBefore); // PID 1 started again: a new container run
      expect(conn.handshakes).toBe(2);
    } finally {
      await conn.close();
    }
  });

  it("reports a host stopped during a command, and afterwards, as unreachable", async () => {
    const host = bed.host("reach3");
    const conn = new SshConnection(specFor(bed, host), { retries: 1 });
    try {
      expect((await conn.run("echo up")).stdout).toBe("up\n");
      const running = rejection(conn.run("sleep 60"));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await host.stop();
      const during = await running;
      expect(during.context).toMatchObject({ kind: "connection", host: "reach3" });
      const after = await rejection(conn.run("echo again"));
      expect(after.context.kind).toBe("connection");
      expect(after.message).toMatch(new RegExp(`^host reach3 \\(127\\.0\\.0\\.1:${host.port}\\) is UNREACHABLE: .+\\(2 attempts\\)$`));
    } finally {
      await conn.close();
    }
  });

  it("notices a hung host through keepalive, then gives up on it after one handshake timeout", async () => {
    const host = bed.host("reach4");
    const conn = new SshConnection(specFor(bed, host, { connectTimeoutMs: 2_000 }), { keepaliveIntervalMs: 500 });
    try {
      expect((await conn.run("echo up")).stdout).toBe("up\n");
      await host.pause();
      let started = Date.now();
      const during = await rejection(conn.run("echo frozen"));
      expect(during.context.kind).toBe("connection");
      expect(Date.now() - started).toBeLessThan(10_000);
      // TCP still connects (docker's proxy answers), sshd never does: one 2 s timeout, no retries.
      started = Date.now();
      const after = await rejection(conn.run("echo again"));
      expect(after.message).toMatch(/UNREACHABLE: Timed out while waiting for handshake \(2 s\)$/);
      expect(Date.now() - started).toBeLessThan(6_000);
    } finally {
      await host.unpause();
      await conn.close();
    }
  });
});
