// get_url on a real host, from an HTTP server inside the host (target-side download with curl)
// and from one on this machine's 127.0.0.1 (controller-side download, pushed over SSH).
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useModuleTestHost } from "../../support/module-harness.js";

const t = useModuleTestHost("modgeturl");

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const ARTIFACT = "kubelet binary stand-in\n".repeat(1000);
const HOST_BASE = "http://127.0.0.1:8000";

describe("get_url on the target", () => {
  beforeAll(async () => {
    await t.sh(
      [
        "mkdir -p /srv/www/v1 /srv/dl",
        `printf '%s' '${ARTIFACT}' > /srv/www/v1/kubelet`,
        `printf '%s  kubelet\\n%s  other\\n' '${sha256(ARTIFACT)}' '${sha256("x")}' > /srv/www/v1/SHA256SUMS`,
        "setsid python3 -m http.server 8000 --bind 127.0.0.1 --directory /srv/www >/dev/null 2>&1 < /dev/null &",
        "for i in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:8000/ && break; sleep 0.1; done",
      ].join("\n"),
    );
  });

  it("downloads once; a second run only probes", async () => {
    const args = { url: `${HOST_BASE}/v1/kubelet`, dest: "/srv/dl/kubelet", mode: "0755" };
    const first = await t.run("get_url", args);
    expect(first).toMatchObject({ changed: true, dest: "/srv/dl/kubelet", status_code: 200, checksum_src: sha256(ARTIFACT) });
    expect((await t.sh("sha256sum /srv/dl/kubelet; stat -c %a /srv/dl/kubelet")).split(/\s+/)).toEqual([sha256(ARTIFACT), "/srv/dl/kubelet", "755", ""]);
    const second = await t.run("get_url", args);
    expect(second).toMatchObject({ changed: false, msg: "file already exists" });
    expect(second.sent.runs).toHaveLength(1);
    expect(await t.sh("ls -A /srv/dl")).toBe("kubelet\n"); // no temp file left behind
  });

  it("replaces a file whose checksum differs, and not one that matches", async () => {
    await t.sh("echo stale > /srv/dl/pinned");
    const args = { url: `${HOST_BASE}/v1/kubelet`, dest: "/srv/dl/pinned", checksum: `sha256:${sha256(ARTIFACT)}`, backup: true };
    const replaced = await t.run("get_url", args);
    expect(replaced.changed).toBe(true);
    expect(await t.sh(`cat ${replaced.backup_file as string}`)).toBe("stale\n");
    expect((await t.sh("sha256sum /srv/dl/pinned")).split(" ")[0]).toBe(sha256(ARTIFACT));
    expect((await t.run("get_url", args)).changed).toBe(false);
  });

  it("reads the digest from a sums file URL", async () => {
    const args = { url: `${HOST_BASE}/v1/kubelet`, dest: "/srv/dl/from-sums", checksum: `sha256:${HOST_BASE}/v1/SHA256SUMS` };
    expect((await t.run("get_url", args)).changed).toBe(true);
    expect((await t.run("get_url", args)).changed).toBe(false);
  });

  it("fails on a checksum mismatch naming both sums, leaving dest alone", async () => {
    await t.sh("echo keep > /srv/dl/guarded");
    const wrong = sha256("something else");
    const r = await t.run("get_url", { url: `${HOST_BASE}/v1/kubelet`, dest: "/srv/dl/guarded", checksum: `sha256:${wrong}` });
    expect(r.failed).toBe(true);
    expect(r.msg).toContain(wrong);
    expect(r.msg).toContain(sha256(ARTIFACT));
    expect(await t.sh("cat /srv/dl/guarded")).toBe("keep\n");
    expect(await t.sh("ls -A /srv/dl | grep -c kplay- || true")).toBe("0\n");
  });

  it("names the URL and the HTTP status of a failed download", async () => {
    const r = await t.run("get_url", { url: `${HOST_BASE}/v1/missing`, dest: "/srv/dl/missing" });
    expect(r).toMatchObject({ failed: true, status_code: 404, msg: `downloading ${HOST_BASE}/v1/missing failed: HTTP status 404` });
  });

  it("check mode reports the download and writes nothing; a directory dest takes the URL's file name", async () => {
    const r = await t.run("get_url", { url: `${HOST_BASE}/v1/kubelet`, dest: "/srv/dl/sub/" }, { check: true, diff: true });
    expect(r).toMatchObject({ failed: true, msg: "Destination dir /srv/dl/sub does not exist" });
    await t.sh("mkdir -p /srv/dl/sub");
    const checked = await t.run("get_url", { url: `${HOST_BASE}/v1/kubelet`, dest: "/srv/dl/sub" }, { check: true, diff: true });
    expect(checked).toMatchObject({ changed: true, dest: "/srv/dl/sub/kubelet" });
    expect(checked.diff![0].after).toContain(`source: ${HOST_BASE}/v1/kubelet`);
    expect(await t.sh("ls -A /srv/dl/sub")).toBe("");
  });
});

describe("get_url fetched on the controller", () => {
  let server: Server;
  let base: string;
  let cache: string;
  const hits = new Map<string, number>();

  beforeAll(async () => {
    cache = mkdtempSync(join(tmpdir(), "kplay-dlcache-"));
    process.env.KPLAY_DOWNLOAD_CACHE = cache;
    server = createServer((req, res) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      if (req.url === "/broken") return res.writeHead(500).end("boom");
      if (req.url === "/private" && (req.headers.authorization !== `Basic ${Buffer.from("ops:s3cret").toString("base64")}` || req.headers["user-agent"] !== "kplay-httpget")) {
        return res.writeHead(401).end();
      }
      setTimeout(() => res.writeHead(200).end(ARTIFACT), 200); // slow enough for concurrent tasks to overlap
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await t.sh("mkdir -p /srv/cdl");
  });

  afterAll(async () => {
    delete process.env.KPLAY_DOWNLOAD_CACHE;
    await new Promise((resolve) => server?.close(resolve));
    rmSync(cache, { recursive: true, force: true });
  });

  it("downloads once for concurrent tasks and pushes to each dest", async () => {
    const args = (dest: string) => ({ url: `${base}/shared`, dest, checksum: `sha256:${sha256(ARTIFACT)}`, fetch_on: "controller" });
    const results = await Promise.all(["/srv/cdl/a", "/srv/cdl/b", "/srv/cdl/c"].map((d) => t.run("get_url", args(d))));
    expect(results.map((r) => r.changed)).toEqual([true, true, true]);
    expect(hits.get("/shared")).toBe(1);
    expect((await t.sh("sha256sum /srv/cdl/a /srv/cdl/b /srv/cdl/c | cut -d' ' -f1 | sort -u")).trim()).toBe(sha256(ARTIFACT));
    expect((await t.run("get_url", args("/srv/cdl/a"))).changed).toBe(false);
    expect((await t.run("get_url", args("/srv/cdl/d"))).changed).toBe(true); // from the cache, no new request
    expect(hits.get("/shared")).toBe(1);
  });

  it("sends credentials and reports the HTTP status of a failure after retrying", async () => {
    const ok = await t.run("get_url", { url: `${base}/private`, dest: "/srv/cdl/private", fetch_on: "controller", url_username: "ops", url_password: "s3cret" });
    expect(ok.changed).toBe(true);
    const r = await t.run("get_url", { url: `${base}/broken`, dest: "/srv/cdl/broken", fetch_on: "controller", retries: 1 });
    expect(r).toMatchObject({ failed: true, status_code: 500, msg: `downloading ${base}/broken failed: HTTP status 500` });
    expect(hits.get("/broken")).toBe(2);
  });

  it("refuses a bad fetch_on value before any remote command", async () => {
    const r = await t.run("get_url", { url: `${base}/x`, dest: "/srv/cdl/x", fetch_on: "contoller" });
    expect(r).toMatchObject({ failed: true });
    expect(r.msg).toContain("did you mean `controller`?");
    expect(r.sent.runs).toEqual([]);
  });
});
