// SshConnection against real Debian hosts: the persistent-shell contract, file transfer, become.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKplayError } from "../../../src/engine/errors.js";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { specFor } from "./test-specs.js";

let bed: TestHosts;
let conn: SshConnection;

beforeAll(async () => {
  bed = await startHosts(1, { names: "conn" });
  conn = new SshConnection(specFor(bed, bed.hosts[0]));
});

afterAll(async () => {
  await conn?.close();
  await bed?.stopAll();
});

describe("run", () => {
  it("returns exit code, stdout and stderr separately", async () => {
    const r = await conn.run("echo out; echo err >&2; printf tail; exit 3");
    expect(r).toEqual({ rc: 3, stdout: "out\ntail", stderr: "err\n" });
  });

  it("reports a syntax error as rc 2 and keeps the shell usable", async () => {
    const bad = await conn.run("echo 'unterminated");
    expect(bad.rc).toBe(2);
    expect(bad.stderr).toMatch(/unterminated|Syntax error/i);
    expect(await conn.run("echo fine")).toMatchObject({ rc: 0, stdout: "fine\n" });
  });

  it("does not leak cd, export or shell variables between commands", async () => {
    await conn.run("cd /tmp; export LEAK=1; plain=2; umask 077");
    const r = await conn.run('pwd; echo "${LEAK:-none} ${plain:-none}"; umask');
    expect(r.stdout).toBe("/root\nnone none\n0022\n");
  });

  it("does not hand a background job's late output to the next command", async () => {
    expect((await conn.run("(sleep 0.3; echo late; echo late-err >&2) & echo now")).stdout).toBe("now\n");
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await conn.run("echo next")).toEqual({ rc: 0, stdout: "next\n", stderr: "" });
  });

  it("applies env and cwd to one command only", async () => {
    const r = await conn.run('pwd; printf %s "$GREETING"', { cwd: "/etc", env: { GREETING: "it's \"quoted\" $HOME" } });
    expect(r.stdout).toBe("/etc\nit's \"quoted\" $HOME");
    expect((await conn.run('pwd; printf %s "${GREETING:-unset}"')).stdout).toBe("/root\nunset");
  });

  it("carries 10 MB of output intact", async () => {
    const r = await conn.run("head -c 7500000 /dev/urandom | base64 -w 100 | tee /tmp/big.txt | sha256sum >&2; cat /tmp/big.txt");
    expect(r.stdout.length).toBe(10_100_000);
    expect(r.stderr.split(" ")[0]).toBe(createHash("sha256").update(r.stdout).digest("hex"));
  });

  it("passes binary stdin byte for byte, without touching the control stream", async () => {
    const input = Buffer.concat([randomBytes(300_000), Buffer.from("\n__kplay_fake__ 0\nexit\n")]);
    const r = await conn.run("sha256sum | cut -d' ' -f1", { stdin: input });
    expect(r.stdout.trim()).toBe(createHash("sha256").update(input).digest("hex"));
    expect((await conn.run("cat")).stdout).toBe(""); // no stdin: reads /dev/null, does not hang
  });

  it("reuses one connection for 200 sequential commands", async () => {
    const fresh = new SshConnection(specFor(bed, bed.hosts[0]));
    try {
      for (let i = 0; i < 200; i++) expect((await fresh.run(`echo ${i}`)).stdout).toBe(`${i}\n`);
      expect(fresh.handshakes).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it("runs commands in parallel on a few shells of one connection, never more than six", async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => conn.run("date +%s%N; sleep 1; date +%s%N")));
    const spans = results.map((r) => r.stdout.trim().split("\n").map(BigInt));
    // The most commands running at one instant, measured on the host itself.
    const overlap = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    expect(overlap).toBeGreaterThanOrEqual(4);
    expect(overlap).toBeLessThanOrEqual(6);
    expect(conn.handshakes).toBe(1);
  });

  it("shares the channel budget between users, staying under sshd's MaxSessions", async () => {
    const fresh = new SshConnection(specFor(bed, bed.hosts[0]));
    try {
      const batch = (user?: string) => Promise.all(Array.from({ length: 8 }, () =>
        fresh.run("sleep 0.5; id -un", user ? { become: { user } } : {})));
      // 6 shells as root, then 6 as deploy: 12 would exceed the host's 10 sessions.
      expect((await batch()).map((r) => r.stdout)).toEqual(Array(8).fill("root\n"));
      expect((await batch(bed.deployUser)).map((r) => r.stdout)).toEqual(Array(8).fill("deploy\n"));
      expect((await batch()).map((r) => r.stdout)).toEqual(Array(8).fill("root\n"));
    } finally {
      await fresh.close();
    }
  });

  it("kills a command that overruns timeoutMs, and the next command works", async () => {
    const started = Date.now();
    const r = await conn.run("echo started; sleep 1000", { timeoutMs: 1_000 });
    expect(r).toMatchObject({ rc: 124, timedOut: true, stdout: "started\n" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await conn.run("pgrep -x sleep || echo none")).stdout).toBe("none\n");
    expect(await conn.run("echo alive")).toMatchObject({ rc: 0, stdout: "alive\n" });
  });
});

describe("put and get", () => {
  it("writes a new file atomically with the given mode and owner", async () => {
    await conn.put("hello\n", "/tmp/put-new.txt", { mode: "0640", owner: "deploy", group: "deploy" });
    expect((await conn.run("stat -c '%a %U %G' /tmp/put-new.txt; ls -a /tmp | grep -c kplay || true")).stdout).toBe("640 deploy deploy\n0\n");
    expect((await conn.get("/tmp/put-new.txt")).toString()).toBe("hello\n");
  });

  it("keeps the mode and owner of a file it replaces, and replaces it by rename", async () => {
    await conn.run("printf old > /tmp/put-keep.txt; chown deploy:deploy /tmp/put-keep.txt; chmod 604 /tmp/put-keep.txt; stat -c %i /tmp/put-keep.txt > /tmp/inode");
    await conn.put(Buffer.from("new"), "/tmp/put-keep.txt");
    const r = await conn.run("stat -c '%a %U %G' /tmp/put-keep.txt; cat /tmp/put-keep.txt; echo; [ \"$(stat -c %i /tmp/put-keep.txt)\" != \"$(cat /tmp/inode)\" ] && echo renamed");
    expect(r.stdout).toBe("604 deploy deploy\nnew\nrenamed\n");
  });

  it("gives a new file without a mode 0666 minus umask", async () => {
    await conn.put("x", "/tmp/put-default.txt");
    expect((await conn.run("stat -c %a /tmp/put-default.txt")).stdout).toBe("644\n");
  });

  it("round-trips binary content", async () => {
    const data = randomBytes(1_000_000);
    await conn.put(data, "/tmp/put-binary");
    expect((await conn.get("/tmp/put-binary")).equals(data)).toBe(true);
  });

  it("fails with the path and host when the directory does not exist", async () => {
    const error = await conn.put("x", "/nonexistent/dir/file").catch((e: unknown) => e);
    expect(isKplayError(error) && error.message).toMatch(/writing \/nonexistent\/dir\/file on conn1 failed/);
    await expect(conn.get("/nonexistent/file")).rejects.toThrow(/reading \/nonexistent\/file on conn1 failed/);
    await expect(conn.put("x", "/tmp")).rejects.toThrow("writing /tmp on conn1 failed: /tmp is a directory");
    expect((await conn.run("ls -a / /tmp | grep -c kplay || true")).stdout).toBe("0\n");
  });
});

describe("become through the deploy user", () => {
  let deploy: SshConnection;
  // deploy logs in with its password (it has no authorized key), then sudo asks for it again.
  const asDeploy = () => specFor(bed, bed.hosts[0], { user: bed.deployUser, password: bed.deployPassword, privateKeyFiles: [] });
  beforeAll(() => {
    deploy = new SshConnection(asDeploy());
  });
  afterAll(async () => {
    await deploy?.close();
  });

  it("runs as root with the sudo password, reusing one sudo shell", async () => {
    const become = { user: "root", password: bed.deployPassword };
    expect((await deploy.run("id -un")).stdout).toBe("deploy\n");
    for (let i = 0; i < 3; i++) expect((await deploy.run("id -un; echo $HOME", { become })).stdout).toBe("root\n/root\n");
    // One sudo session: sudo logs each authentication to the journal/auth log; count its processes instead.
    expect((await deploy.run("pgrep -c -x sudo", { become })).stdout).toBe("1\n");
    // The password went to sudo's stdin: no process on the host carries it in its arguments.
    expect((await bed.hosts[0].exec("ps -eo args")).stdout).not.toContain(bed.deployPassword);
  });

  it("lets root become another user without a password", async () => {
    expect((await conn.run("id -un; pwd", { become: { user: bed.deployUser }, cwd: "/tmp" })).stdout).toBe("deploy\n/tmp\n");
    await conn.put("mine\n", "/home/deploy/owned.txt", { become: { user: bed.deployUser } });
    expect((await bed.hosts[0].exec("stat -c %U /home/deploy/owned.txt")).stdout).toBe("deploy\n");
  });

  it("says so when sudo wants a password and none was given", async () => {
    const fresh = new SshConnection(asDeploy());
    try {
      await expect(fresh.run("true", { become: { user: "root" } })).rejects.toThrow("sudo: a password is required for deploy on conn1");
    } finally {
      await fresh.close();
    }
  });

  it("puts and gets root-owned files through the become shell", async () => {
    const become = { user: "root", password: bed.deployPassword };
    await deploy.put("secret\n", "/etc/kplay-become.conf", { mode: "0600", become });
    expect((await bed.hosts[0].exec("stat -c '%a %U' /etc/kplay-become.conf")).stdout).toBe("600 root\n");
    expect((await deploy.get("/etc/kplay-become.conf", { become })).toString()).toBe("secret\n");
    await expect(deploy.get("/etc/kplay-become.conf")).rejects.toThrow(/Permission denied/);
  });

  it("says clearly that the sudo password is wrong, without the password", async () => {
    const wrong = "not-the-Pw-4711";
    const fresh = new SshConnection(asDeploy());
    try {
      const error = await fresh.run("id -un", { become: { user: "root", password: wrong } }).catch((e: unknown) => e);
      expect(isKplayError(error)).toBe(true);
      expect((error as Error).message).toBe("sudo: incorrect password for deploy on conn1");
      expect(JSON.stringify((error as { context: unknown }).context)).not.toContain(wrong);
      expect((await fresh.run("echo still-ok")).stdout).toBe("still-ok\n");
    } finally {
      await fresh.close();
    }
  });
});

describe("connection set-up", () => {
  it("opens 30 connections to one sshd at once without tripping MaxStartups, with no retries", async () => {
    // A generous handshake timeout: a busy test machine may be slow, but sshd must drop nothing.
    const conns = Array.from({ length: 30 }, () => new SshConnection(specFor(bed, bed.hosts[0], { connectTimeoutMs: 60_000 }), { retries: 0 }));
    try {
      const results = await Promise.all(conns.map((c) => c.run("echo ok")));
      expect(results.every((r) => r.stdout === "ok\n")).toBe(true);
      expect(conns.map((c) => c.handshakes)).toEqual(Array(30).fill(1));
    } finally {
      await Promise.all(conns.map((c) => c.close()));
    }
  });
});

describe("authentication", () => {
  it("uses keys held by ssh-agent", async () => {
    const agent = spawnSync("ssh-agent", ["-s"], { encoding: "utf8" }).stdout;
    const socket = /SSH_AUTH_SOCK=([^;]+);/.exec(agent)?.[1];
    const pid = /SSH_AGENT_PID=(\d+);/.exec(agent)?.[1];
    expect(socket && pid).toBeTruthy();
    try {
      expect(spawnSync("ssh-add", ["-q", bed.privateKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } }).status).toBe(0);
      const viaAgent = new SshConnection(specFor(bed, bed.hosts[0], { privateKeyFiles: [], agent: socket }));
      expect((await viaAgent.run("id -un")).stdout).toBe("root\n");
      await viaAgent.close();
    } finally {
      process.kill(Number(pid));
    }
  });

  it("passes on why a login shell refused to start", async () => {
    await bed.hosts[0].exec("id nolog || { useradd -m -s /usr/sbin/nologin nolog && echo nolog:Nolog-pw-1 | chpasswd; }");
    const conn = new SshConnection(specFor(bed, bed.hosts[0], { user: "nolog", password: "Nolog-pw-1", privateKeyFiles: [] }));
    try {
      const error = await conn.run("true").catch((e: unknown) => e);
      expect(isKplayError(error) && error.context.kind).toBe("connection");
      expect((error as Error).message).toBe("could not start a shell for nolog on conn1: This account is currently not available.");
    } finally {
      await conn.close();
    }
  });

  it("reports what it tried when no method works, never the password", async () => {
    const spec = specFor(bed, bed.hosts[0], { user: bed.deployUser, password: "wrong-Secret-99", privateKeyFiles: [bed.privateKeyPath] });
    const conn = new SshConnection(spec, { retries: 0 });
    const error = await conn.run("true").catch((e: unknown) => e);
    await conn.close();
    expect(isKplayError(error) && error.context.kind).toBe("connection");
    expect((error as Error).message).toBe(
      `host conn1 (127.0.0.1:${bed.hosts[0].port}) is UNREACHABLE: authentication failed for user deploy (tried: key ${bed.privateKeyPath}, password)`,
    );
    expect(JSON.stringify((error as { context: unknown }).context)).not.toContain("wrong-Secret-99");
  });
});
