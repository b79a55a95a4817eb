// known_hosts parsing and matching, checked against files written by OpenSSH's own ssh-keygen.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  checkHostKey, fingerprint, knownHostName, loadKnownHosts, parseKnownHosts, patternsMatch, recordHostKey,
} from "../../../src/engine/connection/known-hosts.js";

let dir: string;
let keyA: Buffer;
let keyB: Buffer;
let keyAFingerprint: string;

function newKey(name: string): Buffer {
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, name)]);
  return Buffer.from(readFileSync(join(dir, `${name}.pub`), "utf8").split(" ")[1], "base64");
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kplay-kh-unit-"));
  keyA = newKey("a");
  keyB = newKey("b");
  keyAFingerprint = execFileSync("ssh-keygen", ["-lf", join(dir, "a.pub")], { encoding: "utf8" }).split(" ")[1];
});

const line = (name: string, key: Buffer) => `${name} ssh-ed25519 ${key.toString("base64")}`;

describe("known_hosts", () => {
  it("computes the fingerprint ssh-keygen shows", () => {
    expect(fingerprint(keyA)).toBe(keyAFingerprint);
  });

  it("names hosts as OpenSSH does", () => {
    expect(knownHostName("node1", 22)).toBe("node1");
    expect(knownHostName("10.0.0.1", 2222)).toBe("[10.0.0.1]:2222");
  });

  it("matches plain lists, wildcards and negations", () => {
    expect(patternsMatch("node1,node2", "node2")).toBe(true);
    expect(patternsMatch("*.example.com,!bad.example.com", "good.example.com")).toBe(true);
    expect(patternsMatch("*.example.com,!bad.example.com", "bad.example.com")).toBe(false);
    expect(patternsMatch("node?", "node12")).toBe(false);
    expect(patternsMatch("[10.0.0.1]:2222", "[10.0.0.1]:2222")).toBe(true);
    expect(patternsMatch("10.0.0.1", "[10.0.0.1]:2222")).toBe(false);
  });

  it("matches names hashed by ssh-keygen -H", () => {
    const file = join(dir, "hashed");
    writeFileSync(file, `${line("[10.1.2.3]:2200", keyA)}\n${line("plain.example", keyB)}\n`);
    execFileSync("ssh-keygen", ["-q", "-H", "-f", file]);
    const entries = loadKnownHosts([file]);
    expect(entries.every((e) => e.patterns.startsWith("|1|"))).toBe(true);
    expect(checkHostKey(entries, "[10.1.2.3]:2200", keyA)).toEqual({ status: "known" });
    expect(checkHostKey(entries, "plain.example", keyB)).toEqual({ status: "known" });
    expect(checkHostKey(entries, "[10.1.2.3]:2201", keyA).status).toBe("unknown");
  });

  it("tells unknown, changed and revoked keys apart", () => {
    const entries = parseKnownHosts(`# comment\n\n${line("node1", keyA)}\n@revoked * ssh-ed25519 ${keyB.toString("base64")}\n`, "kh");
    expect(checkHostKey(entries, "node1", keyA)).toEqual({ status: "known" });
    expect(checkHostKey(entries, "node2", keyA)).toEqual({ status: "unknown", otherTypes: [] });
    expect(checkHostKey(entries, "node1", keyB).status).toBe("revoked");
    const changed = checkHostKey(parseKnownHosts(`${line("node1", keyB)}\n`, "kh"), "node1", keyA);
    expect(changed).toMatchObject({ status: "changed", previous: { file: "kh", line: 1 } });
  });

  it("records keys on a line of their own, creating the file", () => {
    const file = join(dir, "sub", "known_hosts");
    recordHostKey(file, "[h]:2222", keyA);
    writeFileSync(file, `${readFileSync(file, "utf8")}# no newline at end`);
    recordHostKey(file, "h2", keyB);
    expect(readFileSync(file, "utf8")).toBe(`${line("[h]:2222", keyA)}\n# no newline at end\n${line("h2", keyB)}\n`);
    expect(checkHostKey(loadKnownHosts([file]), "h2", keyB)).toEqual({ status: "known" });
  });
});
