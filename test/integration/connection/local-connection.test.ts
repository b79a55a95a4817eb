// LocalConnection: the same contract as ssh, on this machine's own shell and files.
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalConnection } from "../../../src/engine/connection/local-connection.js";

const conn = new LocalConnection("localhost");
const dir = mkdtempSync(join(tmpdir(), "kplay-local-"));

afterAll(async () => {
  await conn.close();
});

describe("LocalConnection.run", () => {
  it("separates rc, stdout and stderr", async () => {
    expect(await conn.run("echo out; echo err >&2; exit 7")).toEqual({ rc: 7, stdout: "out\n", stderr: "err\n" });
  });

  it("isolates commands from each other", async () => {
    await conn.run(`cd ${dir}; export LEAK=1`);
    expect((await conn.run('echo "${LEAK:-none}"')).stdout).toBe("none\n");
    expect((await conn.run("pwd", { cwd: dir })).stdout).toBe(`${dir}\n`);
  });

  it("feeds binary stdin exactly", async () => {
    const input = randomBytes(100_000);
    const r = await conn.run("sha256sum | cut -d' ' -f1", { stdin: input });
    expect(r.stdout.trim()).toBe(createHash("sha256").update(input).digest("hex"));
  });

  it("times a hung command out and stays usable", async () => {
    const r = await conn.run(`sleep 1000 # ${dir}`, { timeoutMs: 300 });
    expect(r).toMatchObject({ rc: 124, timedOut: true });
    expect((await conn.run(`pgrep -f 'slee[p] 1000 # ${dir}' || echo gone`)).stdout).toBe("gone\n");
    expect((await conn.run("echo ok")).stdout).toBe("ok\n");
  });

  it("gives up on a shell whose command cannot even be timed out, and carries on in a new one", async () => {
    // Stopping `timeout` itself (the parent of the command's sh) leaves nothing to end the command.
    const r = await conn.run(`kill -STOP $PPID; sleep 30 # ${dir}`, { timeoutMs: 200 });
    expect(r).toMatchObject({ rc: 124, timedOut: true });
    expect((await conn.run("echo next")).stdout).toBe("next\n");
    // Let the stopped `timeout` go on: it ends the command at once, leaving nothing behind.
    const cleanup = `pkill -CONT -f 'slee[p] 30 # ${dir}'; for i in 1 2 3 4 5 6 7 8 9 10; do pgrep -f 'slee[p] 30 # ${dir}' >/dev/null || { echo gone; exit; }; sleep 0.3; done`;
    expect((await conn.run(cleanup)).stdout).toBe("gone\n");
  }, 30_000);

  it("refuses an invalid environment name and stays usable", async () => {
    await expect(conn.run("true", { env: { "NOT-VALID": "x" } })).rejects.toThrow(/invalid environment variable name "NOT-VALID"/);
    expect((await conn.run("echo ok")).stdout).toBe("ok\n");
  });

  it("reports a shell killed under a command as an error of the host, and refuses work after close", async () => {
    const other = new LocalConnection("localhost");
    await expect(other.run("kill -9 $$")).rejects.toThrow(/^local shell on localhost failed: local shell exited \((SIGKILL|rc 137)\)$/);
    expect((await other.run("echo recovered")).stdout).toBe("recovered\n");
    await other.close();
    await expect(other.run("true")).rejects.toThrow("local shell on localhost failed: the connection was closed");
  });

  it("treats become to the current user as no become", async () => {
    const me = userInfo().username;
    expect((await conn.run("id -un", { become: { user: me } })).stdout).toBe(`${me}\n`);
  });
});

describe("LocalConnection.put/get", () => {
  it("writes atomically, keeping the mode of the file it replaces", async () => {
    const path = join(dir, "keep.conf");
    writeFileSync(path, "old");
    chmodSync(path, 0o600);
    const inode = statSync(path).ino;
    await conn.put("new\n", path);
    expect(readFileSync(path, "utf8")).toBe("new\n");
    expect(statSync(path).mode & 0o7777).toBe(0o600);
    expect(statSync(path).ino).not.toBe(inode);
    expect(readdirSync(dir).filter((f) => f.includes("kplay"))).toEqual([]);
  });

  it("applies an explicit mode, and 0666 minus umask otherwise", async () => {
    await conn.put("x", join(dir, "explicit"), { mode: "0751" });
    expect(statSync(join(dir, "explicit")).mode & 0o7777).toBe(0o751);
    await conn.put("x", join(dir, "default"));
    const umask = Number.parseInt((await conn.run("umask")).stdout, 8);
    expect(statSync(join(dir, "default")).mode & 0o7777).toBe(0o666 & ~umask);
  });

  it("reads files back, and names the file it cannot read", async () => {
    const data = randomBytes(50_000);
    await conn.put(data, join(dir, "bin"));
    expect((await conn.get(join(dir, "bin"))).equals(data)).toBe(true);
    await expect(conn.get(join(dir, "missing"))).rejects.toThrow(`reading ${join(dir, "missing")} on localhost failed`);
    await expect(conn.put("x", join(dir, "no", "such", "dir"))).rejects.toThrow(/writing .*no\/such\/dir on localhost failed/);
    await expect(conn.put("x", dir)).rejects.toThrow(`writing ${dir} on localhost failed: ${dir} is a directory`);
    expect(readdirSync(dir).filter((f) => f.includes("kplay"))).toEqual([]);
  });
});
