// Host key verification against OpenSSH known_hosts files: plain and hashed (`|1|salt|hash`)
// names, `[host]:port` for non-default ports, wildcards and negations, @revoked markers.
import { createHash, createHmac } from "node:crypto";
import { appendFileSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";

export interface KnownHostEntry {
  file: string;
  line: number;
  marker?: "@revoked" | "@cert-authority";
  patterns: string;
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { status: "known" }
  | { status: "unknown"; otherTypes: string[] }
  | { status: "changed"; previous: KnownHostEntry }
  | { status: "revoked"; entry: KnownHostEntry };

/** The name known_hosts stores for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** OpenSSH's fingerprint form: SHA256:<unpadded base64>. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === "" || fields[0].startsWith("#")) return;
    const marker = fields[0] === "@revoked" || fields[0] === "@cert-authority" ? fields.shift() as KnownHostEntry["marker"] : undefined;
    if (fields.length < 3) return;
    entries.push({ file, line: index + 1, marker, patterns: fields[0], keyType: fields[1], key: Buffer.from(fields[2], "base64") });
  });
  return entries;
}

const cache = new Map<string, { stamp: string; entries: KnownHostEntry[] }>();

/** Entries of every existing file, in order; re-read only when a file changes. */
export function loadKnownHosts(files: readonly string[]): KnownHostEntry[] {
  return files.flatMap((file) => {
    let stamp: string;
    try {
      const st = statSync(file);
      stamp = `${st.mtimeMs}:${st.size}`;
    } catch {
      return [];
    }
    const cached = cache.get(file);
    if (cached?.stamp === stamp) return cached.entries;
    const entries = parseKnownHosts(readFileSync(file, "utf8"), file);
    cache.set(file, { stamp, entries });
    return entries;
  });
}

// Every connection scans every entry: compile each wildcard pattern once, and compare plain names
// as strings, or a 200-host run compiles hundreds of thousands of expressions.
const compiledWildcards = new Map<string, RegExp>();

function wildcardMatch(pattern: string, name: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern.toLowerCase() === name.toLowerCase();
  let compiled = compiledWildcards.get(pattern);
  if (compiled === undefined) {
    const regex = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    compiled = new RegExp(`^${regex}$`, "i");
    compiledWildcards.set(pattern, compiled);
  }
  return compiled.test(name);
}

function hashedMatch(pattern: string, name: string): boolean {
  const [, , salt, hash] = pattern.split("|");
  if (salt === undefined || hash === undefined) return false;
  return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
}

/** Whether an entry's host pattern list names `name` (a negated match excludes the line). */
export function patternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith("|1|")) return hashedMatch(patterns, name);
  let matched = false;
  for (const pattern of patterns.split(",")) {
    const negated = pattern.startsWith("!");
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

export function checkHostKey(entries: readonly KnownHostEntry[], name: string, key: Buffer): HostKeyVerdict {
  const type = keyTypeOf(key);
  const revoked = entries.find((e) => e.marker === "@revoked" && e.key.equals(key));
  if (revoked) return { status: "revoked", entry: revoked };
  const mine = entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name));
  if (mine.some((e) => e.key.equals(key))) return { status: "known" };
  const previous = mine.find((e) => e.keyType === type);
  if (previous) return { status: "changed", previous };
  return { status: "unknown", otherTypes: [...new Set(mine.map((e) => e.keyType))] };
}

/** Key types already recorded for `name`, so the handshake can ask the server for one of those. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [...new Set(entries.filter((e) => e.marker === undefined && patternsMatch(e.patterns, name)).map((e) => e.keyType))];
}

/** Appends `name type key` to `file` (created with its directory when missing). */
export function recordHostKey(file: string, name: string, key: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let needsNewline = false;
  try {
    const text = readFileSync(file, "utf8");
    needsNewline = text.length > 0 && !text.endsWith("\n");
  } catch {
    // A missing file is created by the append.
  }
  appendFileSync(file, `${needsNewline ? "\n" : ""}${name} ${keyTypeOf(key)} ${key.toString("base64")}\n`, { mode: 0o600 });
}
