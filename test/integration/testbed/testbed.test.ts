import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shellQuote } from "../../../src/engine/shell-quote.js";
import { DEPLOY_PASSWORD, DEPLOY_USER, startHosts, type TestHosts } from "../../support/hosts.js";
import { opensshRun, passwordRun } from "./ssh-clients.js";

const run = promisify(execFile);

describe("systemd test hosts", () => {
  let bed: TestHosts;
  beforeAll(async () => {
    bed = await startHosts(3);
  });
  afterAll(async () => {
    await bed?.stopAll();
  });

  it("starts node1..node3 on 127.0.0.1, each reachable by key with strict known_hosts", async () => {
    expect(bed.hosts.map((h) => h.name)).toEqual(["node1", "node2", "node3"]);
    expect(new Set(bed.hosts.map((h) => h.port)).size).toBe(3);
    for (const host of bed.hosts) {
      expect(host.address).toBe("127.0.0.1");
      const result = await opensshRun(bed, host, "hostname; id -u");
      expect(result).toMatchObject({ rc: 0, stdout: `${host.name}\n0\n` });
    }
  });

  it("boots systemd to the running state", async () => {
    for (const host of bed.hosts) {
      const state = await host.exec("systemctl is-system-running; cat /proc/1/comm");
      expect(state.stdout).toBe("running\nsystemd\n");
    }
  });

  it("lets root write net.* sysctls", async () => {
    const host = bed.host("node1");
    const write = await opensshRun(bed, host, "sysctl -w net.ipv4.ip_forward=1 && cat /proc/sys/net/ipv4/ip_forward");
    expect(write).toMatchObject({ rc: 0, stdout: "net.ipv4.ip_forward = 1\n1\n" });
  });

  it("connects hosts to each other by containerIp", async () => {
    const [a, b, c] = bed.hosts;
    for (const [from, to] of [[a, b], [b, c], [c, a]]) {
      const banner = await from.exec(`nc -w 3 ${shellQuote(to.containerIp)} 22 </dev/null | head -n 1`);
      expect(banner.stdout, `${from.name} -> ${to.name} (${to.containerIp})`).toMatch(/^SSH-2\.0-OpenSSH/);
    }
  });

  it("gives every host its own SSH host keys", async () => {
    const fingerprints = await Promise.all(
      bed.hosts.map((h) => h.exec("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub").then((r) => r.stdout.split(" ")[1])),
    );
    expect(fingerprints.every((f) => f?.startsWith("SHA256:"))).toBe(true);
    expect(new Set(fingerprints).size).toBe(3);
  });

  it("lists each host's ed25519, ECDSA and RSA keys in knownHostsPath, by port and by containerIp", async () => {
    const knownHosts = await readFile(bed.knownHostsPath, "utf8");
    for (const host of bed.hosts) {
      for (const name of [`[127.0.0.1]:${host.port}`, host.containerIp]) {
        const types = knownHosts.split("\n").filter((line) => line.startsWith(`${name} `)).map((line) => line.split(" ")[1]);
        expect(types.sort(), name).toEqual(["ecdsa-sha2-nistp256", "ssh-ed25519", "ssh-rsa"]);
      }
    }
  });

  it("has a deploy user who logs in by password and whose sudo requires it", async () => {
    expect(bed.deployUser).toBe(DEPLOY_USER);
    expect(bed.deployPassword).toBe(DEPLOY_PASSWORD);
    const host = bed.host("node2");
    const withoutPassword = await passwordRun(host, DEPLOY_USER, DEPLOY_PASSWORD, "sudo -n true");
    expect(withoutPassword.rc).not.toBe(0);
    expect(withoutPassword.stderr).toMatch(/password is required/);
    const wrong = await passwordRun(host, DEPLOY_USER, DEPLOY_PASSWORD, "echo wrong | sudo -S -p '' id -u");
    expect(wrong.rc).not.toBe(0);
    const right = await passwordRun(
      host, DEPLOY_USER, DEPLOY_PASSWORD, `whoami; printf '%s\\n' ${shellQuote(DEPLOY_PASSWORD)} | sudo -S -p '' id -u`,
    );
    expect(right).toMatchObject({ rc: 0, stdout: `${DEPLOY_USER}\n0\n` });
  });

  it("writes an inventory that Ansible reads and runs modules against", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "kplay-testbed-inventory-"));
    try {
      const inventory = path.join(dir, "hosts.ini");
      await writeFile(inventory, bed.inventoryIni("[first]\nnode1\n"));
      const { stdout } = await run("ansible-inventory", ["-i", inventory, "--list"]);
      const parsed = JSON.parse(stdout);
      expect(parsed.first.hosts).toEqual(["node1"]);
      expect(parsed._meta.hostvars.node2).toMatchObject({ ansible_host: "127.0.0.1", ansible_port: bed.host("node2").port });
      // One host proves the connection settings and Python; Ansible costs seconds per host here.
      const ping = await run("ansible", ["first", "-i", inventory, "-m", "ping", "-e", "ansible_python_interpreter=/usr/bin/python3"]);
      expect(ping.stdout).toMatch(/^node1 \| SUCCESS/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("pause hangs the host; disconnectNetwork makes it unreachable; both recover", async () => {
    const host = bed.host("node3");
    await host.pause();
    const paused = await opensshRun(bed, host, "true", 2);
    await host.unpause();
    expect(paused.stderr).toMatch(/timed out/);

    await host.disconnectNetwork();
    const cut = await opensshRun(bed, host, "true", 2);
    const fromPeer = await bed.host("node1").exec(`nc -z -w 2 ${shellQuote(host.containerIp)} 22`);
    await host.connectNetwork();
    expect(cut.rc).toBe(255);
    expect(fromPeer.rc).not.toBe(0);
    expect(await opensshRun(bed, host, "hostname")).toMatchObject({ rc: 0, stdout: "node3\n" });
  });

  it("keeps its port and host keys across stop/start and restart", async () => {
    const host = bed.host("node3");
    const port = host.port;
    await host.exec("touch /root/survives-reboot");
    await host.stop();
    expect((await opensshRun(bed, host, "true", 2)).rc).toBe(255);
    await host.start();
    expect(host.port).toBe(port);
    expect(await opensshRun(bed, host, "ls /root/survives-reboot")).toMatchObject({ rc: 0 });
    await host.restart();
    expect(await opensshRun(bed, host, "systemctl is-system-running")).toMatchObject({ rc: 0, stdout: "running\n" });
  });
});

describe("light test hosts (sshd only)", () => {
  it("start with the name prefix, answer SSH without systemd, and are removed by stopAll", async () => {
    const bed = await startHosts(2, { light: true, names: "bench" });
    try {
      expect(bed.hosts.map((h) => h.name)).toEqual(["bench1", "bench2"]);
      for (const host of bed.hosts) {
        expect(await opensshRun(bed, host, "cat /proc/1/comm; hostname")).toMatchObject({ rc: 0, stdout: `sshd\n${host.name}\n` });
      }
    } finally {
      await bed.stopAll();
    }
    const ids = bed.hosts.map((h) => h.containerId);
    const { stdout: containers } = await run("docker", ["ps", "--all", "--quiet", "--no-trunc", ...ids.flatMap((id) => ["--filter", `id=${id}`])]);
    expect(containers.trim()).toBe("");
    const { stdout: networks } = await run("docker", ["network", "ls", "--quiet", "--filter", `name=${bed.networkName}`]);
    expect(networks.trim()).toBe("");
  });
});
