// get_url's `checksum`: "sha256:<hex>", or "sha256:<url of a sums file>" whose line for the
// downloaded file holds the digest (the SHA256SUMS files projects publish).
import type { ChecksumAlgorithm } from "./file-state.js";
import { ModuleFailure } from "./operation.js";

export interface ChecksumSpec {
  algorithm: ChecksumAlgorithm;
  /** The expected digest, lowercase hex; absent while it still has to be read from `sumsUrl`. */
  digest?: string;
  sumsUrl?: string;
}

const ALGORITHMS: Record<ChecksumAlgorithm, number> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };

export function parseChecksumSpec(spec: string): ChecksumSpec {
  const colon = spec.indexOf(":");
  const algorithm = spec.slice(0, colon).toLowerCase() as ChecksumAlgorithm;
  const value = spec.slice(colon + 1).trim();
  if (colon < 0 || !(algorithm in ALGORITHMS)) {
    throw new ModuleFailure(`checksum must be ALGORITHM:DIGEST or ALGORITHM:URL with ALGORITHM one of ${Object.keys(ALGORITHMS).join(", ")}; got \`${spec}\``);
  }
  if (/^(https?|ftp|file):\/\//i.test(value)) return { algorithm, sumsUrl: value };
  const digest = value.toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${ALGORITHMS[algorithm]}}$`).test(digest)) {
    throw new ModuleFailure(`checksum: \`${value}\` is not a ${algorithm} digest (${ALGORITHMS[algorithm]} hex digits)`);
  }
  return { algorithm, digest };
}

/**
 * Finds the digest for `fileName` in a sums file ("DIGEST  NAME" or "DIGEST *NAME" lines); a
 * file holding one bare digest names no file and is taken as is.
 */
export function digestFromSumsFile(text: string, fileName: string, spec: ChecksumSpec): string {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const width = ALGORITHMS[spec.algorithm];
  for (const line of lines) {
    const m = /^([0-9a-fA-F]+)\s+\*?(?:\.\/)?(.+)$/.exec(line);
    if (m && m[1].length === width && m[2] === fileName) return m[1].toLowerCase();
  }
  if (lines.length === 1 && new RegExp(`^[0-9a-fA-F]{${width}}$`).test(lines[0])) return lines[0].toLowerCase();
  throw new ModuleFailure(`no ${spec.algorithm} digest for ${fileName} in ${spec.sumsUrl}`);
}

/** A URL safe to show in messages and logs: credentials in it are masked. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? "********" : "";
      u.password = u.password ? "********" : "";
    }
    return u.toString();
  } catch {
    return url;
  }
}
