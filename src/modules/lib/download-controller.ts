// Downloading on the control machine once for every host: a cache keyed by URL and checksum,
// shared by concurrent tasks of one run (one request however many hosts ask) and, when a
// checksum pins the content, reused by later runs.
import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rename, rm } from "node:fs/promises";
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { homedir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { displayUrl } from "./checksum-spec.js";
import type { DownloadRequest } from "./download-target.js";
import type { ChecksumAlgorithm } from "./file-state.js";
import { ModuleFailure } from "./operation.js";

export interface CachedDownload {
  path: string;
  size: number;
  /** Digest in the algorithm asked for. */
  digest: string;
  status: number;
}

const MAX_REDIRECTS = 10;
const inFlight = new Map<string, Promise<CachedDownload>>();

/** `KPLAY_DOWNLOAD_CACHE`, else `$XDG_CACHE_HOME/kplay/downloads`, else `~/.cache/kplay/downloads`. */
export function downloadCacheDir(): string {
  if (process.env.KPLAY_DOWNLOAD_CACHE) return process.env.KPLAY_DOWNLOAD_CACHE;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "kplay", "downloads");
}

function request(url: string, req: DownloadRequest, redirects: number): Promise<IncomingMessage> {
  const client = url.startsWith("https:") ? https : http;
  const headers: Record<string, string> = { ...req.headers };
  if (req.username !== undefined) {
    headers.Authorization = `Basic ${Buffer.from(`${req.username}:${req.password ?? ""}`).toString("base64")}`;
  }
  return new Promise((resolve, reject) => {
    const r = client.get(url, { headers, rejectUnauthorized: req.validateCerts, timeout: req.timeout * 1000 }, (res) => {
      const location = res.headers.location;
      if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS) return reject(new ModuleFailure(`downloading ${displayUrl(req.url)} failed: too many redirects`));
        return resolve(request(new URL(location, url).toString(), req, redirects + 1));
      }
      resolve(res);
    });
    r.on("timeout", () => r.destroy(new Error(`no answer within ${req.timeout}s`)));
    r.on("error", reject);
  });
}

async function download(req: DownloadRequest, algorithm: ChecksumAlgorithm, target: string): Promise<CachedDownload> {
  let res: IncomingMessage;
  try {
    res = await request(req.url, req, 0);
  } catch (e) {
    if (e instanceof ModuleFailure) throw e;
    throw new ModuleFailure(`downloading ${displayUrl(req.url)} failed: ${(e as Error).message}`, { url: displayUrl(req.url) });
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    res.resume();
    throw new ModuleFailure(`downloading ${displayUrl(req.url)} failed: HTTP status ${status}`, { url: displayUrl(req.url), status_code: status });
  }
  const hash = createHash(algorithm);
  let size = 0;
  res.on("data", (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  const temp = `${target}.${randomBytes(6).toString("hex")}.part`;
  try {
    await pipeline(res, createWriteStream(temp));
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw new ModuleFailure(`downloading ${displayUrl(req.url)} failed: ${(e as Error).message}`, { url: displayUrl(req.url), status_code: status });
  }
  return { path: target, size, digest: hash.digest("hex"), status };
}

async function cachedCopy(path: string, algorithm: ChecksumAlgorithm, digest: string): Promise<CachedDownload | undefined> {
  const content = await readFile(path).catch(() => undefined);
  if (!content || createHash(algorithm).update(content).digest("hex") !== digest) return undefined;
  return { path, size: content.length, digest, status: 200 };
}

/**
 * The file at `req.url` in the local cache. With `expected` (a digest in `algorithm`) a cached
 * copy that matches is used without any request; without it the URL is fetched once per run.
 */
export function downloadOnController(req: DownloadRequest, algorithm: ChecksumAlgorithm, expected?: string): Promise<CachedDownload> {
  const key = createHash("sha256").update(`${req.url}\n${algorithm}:${expected ?? ""}`).digest("hex").slice(0, 32);
  let pending = inFlight.get(key);
  if (!pending) {
    pending = (async () => {
      const dir = downloadCacheDir();
      await mkdir(dir, { recursive: true });
      const path = join(dir, key);
      const hit = expected ? await cachedCopy(path, algorithm, expected) : undefined;
      return hit ?? (await download(req, algorithm, path));
    })();
    inFlight.set(key, pending);
    // A failed download is not remembered: the next task may try again.
    pending.catch(() => inFlight.delete(key));
  }
  return pending;
}
