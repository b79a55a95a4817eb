// Which authentication methods a spec leads to, and how they are described (never their secrets).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planAuthentication } from "../../../src/engine/connection/ssh-auth.js";
import type { ConnectionSpec } from "../../../src/engine/connection/types.js";
import type { ParsedKey } from "ssh2";

const dir = mkdtempSync(join(tmpdir(), "kplay-auth-"));
const plainKey = join(dir, "plain");
const lockedKey = join(dir, "locked");
execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", plainKey]);
execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase", "-f", lockedKey]);

function spec(overrides: Partial<ConnectionSpec>): ConnectionSpec {
  return {
    inventoryName: "h", transport: "ssh", host: "h", port: 22, user: "u", privateKeyFiles: [],
    connectTimeoutMs: 10_000, knownHostsFiles: [], acceptNewHostKeys: false, ...overrides,
  };
}

describe("planAuthentication", () => {
  it("tries keys, then the agent, then the password (also for keyboard-interactive)", () => {
    const plan = planAuthentication(spec({ privateKeyFiles: [plainKey], agent: "/run/agent.sock", password: "s3cret" }));
    expect(plan.methods.map((m) => m.type)).toEqual(["publickey", "agent", "password", "keyboard-interactive"]);
    expect(plan.described).toEqual([`key ${plainKey}`, "ssh-agent", "password"]);
    expect(JSON.stringify(plan.described)).not.toContain("s3cret");
  });

  it("explains keys it cannot use instead of failing silently", () => {
    const plan = planAuthentication(spec({ privateKeyFiles: [lockedKey, join(dir, "missing")] }));
    expect(plan.methods).toEqual([]);
    expect(plan.described).toEqual([
      `key ${lockedKey} (unusable: protected by a passphrase; load it into ssh-agent)`,
      `key ${join(dir, "missing")} (unreadable: ENOENT)`,
    ]);
  });

  it("parses a key file once for all hosts, and again when the file is replaced", () => {
    const changing = join(dir, "changing");
    const publicKeyOf = () => {
      const method = planAuthentication(spec({ privateKeyFiles: [changing] })).methods[0] as { key: ParsedKey };
      return method.key.getPublicSSH().toString("base64");
    };
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", changing]);
    const first = publicKeyOf();
    expect(publicKeyOf()).toBe(first);
    expect(first).toBe(readFileSync(`${changing}.pub`, "utf8").split(" ")[1]);
    rmSync(changing);
    execFileSync("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "", "-f", changing]);
    expect(publicKeyOf()).toBe(readFileSync(`${changing}.pub`, "utf8").split(" ")[1]);
  });
});
