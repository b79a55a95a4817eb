// Host key verification against real sshd keys: known, hashed, unknown, accepted-new, changed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshConnection } from "../../../src/engine/connection/ssh-connection.js";
import type { ConnectionSpec } from "../../../src/engine/connection/types.js";
import { KplayError } from "../../../src/engine/errors.js";
import { startHosts, type TestHost, type TestHosts } from "../../support/hosts.js";
import { specFor } from "./test-specs.js";

let bed: TestHosts;
let host: TestHost;
let dir: string;
/** This host's lines of the test bed's known_hosts, by key type. */
let lines: Map<string, string>;

beforeAll(async () => {
  bed = await startHosts(1, { names: "keys" });
  host = bed.hosts[0];
  dir = mkdtempSync(join(tmpdir(), "kplay-known-hosts-"));
  const name = `[${host.address}]:${host.port}`;
  lines = new Map(readFileSync(bed.knownHostsPath, "utf8").split("\n").filter((l) => l.startsWith(`${name} `)).map((l) => [l.split(" ")[1], l]));
});

afterAll(async () => {
  await bed?.stopAll();
});

function knownHosts(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** Connects, runs one command, closes; returns the error when refused. */
async function tryConnect(overrides: Partial<ConnectionSpec>): Promise<KplayError | undefined> {
  const conn = new SshConnection(specFor(bed, host, overrides), { retries: 0 });
  try {
    expect((await conn.run("hostname")).stdout).toBe(`${host.name}\n`);
    return undefined;
  } catch (e) {
    if (e instanceof KplayError) return e;
    throw e;
  } finally {
    await conn.close();
  }
}

async function fingerprintOn(type: string): Promise<string> {
  const r = await host.exec(`ssh-keygen -lf /etc/ssh/ssh_host_${type}_key.pub`);
  return r.stdout.split(" ")[1];
}

describe("host key verification", () => {
  it("accepts a host found in known_hosts", async () => {
    expect(await tryConnect({})).toBeUndefined();
  });

  it("accepts hashed known_hosts entries", async () => {
    const file = knownHosts("hashed", `${[...lines.values()].join("\n")}\n`);
    execFileSync("ssh-keygen", ["-q", "-H", "-f", file]);
    expect(readFileSync(file, "utf8")).toMatch(/^\|1\|/);
    expect(await tryConnect({ knownHostsFiles: [file] })).toBeUndefined();
  });

  it("asks for a key type known_hosts has, not only the one it prefers (ECDSA only)", async () => {
    // The host must offer ECDSA besides ed25519, which ssh2 would pick first.
    const ecdsa = await host.exec(
      "k=/etc/ssh/ssh_host_ecdsa_key; [ -e $k ] || { ssh-keygen -q -t ecdsa -N '' -f $k && pkill -HUP -x sshd && sleep 1; }; cat $k.pub",
    );
    const [type, key] = ecdsa.stdout.split(" ");
    expect(type).toBe("ecdsa-sha2-nistp256");
    const file = knownHosts("ecdsa-only", `[127.0.0.1]:${host.port} ${type} ${key}\n`);
    expect(await tryConnect({ knownHostsFiles: [file] })).toBeUndefined();
  });

  it("prefers the key types as OpenSSH does (ed25519 first), not in known_hosts' order", async () => {
    // Wrong RSA and ECDSA keys listed first: only the ed25519 line is right, so a client that
    // asked for RSA or ECDSA first would refuse the host as changed. OpenSSH's ssh asks for ed25519.
    const other = (type: string) => {
      const key = join(dir, `other-${type}`);
      execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", key]);
      return readFileSync(`${key}.pub`, "utf8").split(" ").slice(0, 2).join(" ");
    };
    const name = `[127.0.0.1]:${host.port}`;
    const file = knownHosts("rsa-first", `${name} ${other("rsa")}\n${name} ${other("ecdsa")}\n${lines.get("ssh-ed25519")}\n`);
    const ssh = execFileSync("ssh", ["-p", String(host.port), "-i", bed.privateKeyPath, "-o", `UserKnownHostsFile=${file}`, "-o", "StrictHostKeyChecking=yes",
      "-o", "BatchMode=yes", "root@127.0.0.1", "hostname"], { encoding: "utf8" });
    expect(ssh).toBe(`${host.name}\n`);
    expect(await tryConnect({ knownHostsFiles: [file] })).toBeUndefined();
  });

  it("refuses an unknown host, giving the fingerprint and both ways on", async () => {
    const error = await tryConnect({ knownHostsFiles: [knownHosts("empty", "")] });
    expect(error?.context.kind).toBe("connection");
    expect(error?.message).toContain(`host ${host.name} (127.0.0.1:${host.port}) is UNREACHABLE: its host key is not known`);
    expect(error?.message).toContain(await fingerprintOn("ed25519"));
    expect(error?.context.hint).toContain(`ssh-keyscan -p ${host.port} 127.0.0.1 >> ~/.ssh/known_hosts`);
    expect(error?.context.hint).toContain("--accept-new-host-keys");
  });

  it("records a new key with acceptNewHostKeys, then knows it", async () => {
    const file = join(dir, "new", "known_hosts");
    expect(await tryConnect({ knownHostsFiles: [file], acceptNewHostKeys: true })).toBeUndefined();
    expect(readFileSync(file, "utf8")).toBe(`${lines.get("ssh-ed25519")}\n`);
    expect(await tryConnect({ knownHostsFiles: [file] })).toBeUndefined();
  });

  it("refuses a changed key loudly, even with acceptNewHostKeys", async () => {
    const other = join(dir, "other");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]);
    const [type, key] = readFileSync(`${other}.pub`, "utf8").split(" ");
    const file = knownHosts("changed", `# a comment\n[127.0.0.1]:${host.port} ${type} ${key}\n`);
    const error = await tryConnect({ knownHostsFiles: [file], acceptNewHostKeys: true });
    expect(error?.message).toContain(`REMOTE HOST IDENTIFICATION HAS CHANGED for ${host.name}`);
    expect(error?.message).toContain(await fingerprintOn("ed25519"));
    expect(error?.message).toContain(`${file}:2`);
    expect(error?.context.hint).toContain(`ssh-keygen -f ${file} -R '[127.0.0.1]:${host.port}'`);
    expect(readFileSync(file, "utf8")).not.toContain(lines.get("ssh-ed25519")?.split(" ")[2]);
  });
});
