import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUrl, planGetUrl, urlFileName, type GetUrlArgs, type GetUrlProbe } from "../../../src/modules/get_url.js";
import { digestFromSumsFile, displayUrl, parseChecksumSpec } from "../../../src/modules/lib/checksum-spec.js";
import { downloadCommand, downloadConfig, type DownloadTool } from "../../../src/modules/lib/download-target.js";
import type { FileState } from "../../../src/modules/lib/file-state.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const SUM = "a".repeat(64);

describe("checksum argument", () => {
  it("parses a digest or a sums-file URL", () => {
    expect(parseChecksumSpec(`sha256:${SUM.toUpperCase()}`)).toEqual({ algorithm: "sha256", digest: SUM });
    expect(parseChecksumSpec("sha256:https://example.test/SHA256SUMS")).toEqual({ algorithm: "sha256", sumsUrl: "https://example.test/SHA256SUMS" });
    expect(() => parseChecksumSpec("sha265:abc")).toThrow(/ALGORITHM one of md5, sha1/);
    expect(() => parseChecksumSpec("sha1:abc")).toThrow("not a sha1 digest (40 hex digits)");
  });

  it("finds the file's line in a sums file, or takes a lone digest", () => {
    const spec = { algorithm: "sha256" as const, sumsUrl: "u" };
    const sums = `${"b".repeat(64)}  kubeadm\n${SUM} *kubelet\n`;
    expect(digestFromSumsFile(sums, "kubelet", spec)).toBe(SUM);
    expect(digestFromSumsFile(`${SUM}\n`, "kubelet", spec)).toBe(SUM);
    expect(() => digestFromSumsFile(sums, "kubectl", spec)).toThrow("no sha256 digest for kubectl in u");
  });

  it("masks credentials in URLs shown in messages", () => {
    expect(displayUrl("https://ops:s3cret@mirror.test/k?x=1")).toBe("https://********:********@mirror.test/k?x=1");
    expect(displayUrl("http://mirror.test/k")).toBe("http://mirror.test/k");
  });
});

describe("download credentials never reach argv", () => {
  it("go into the curl config read from stdin, quoted", () => {
    const req = { url: "u", timeout: 10, validateCerts: true, headers: { "X-Token": 'a"b' }, username: "ops", password: "p\\w" };
    expect(downloadConfig("curl", req)).toBe('user = "ops:p\\\\w"\nheader = "X-Token: a\\"b"\n');
    expect(downloadConfig("wget", req)).toBe("user = ops\npassword = p\\w\nheader = X-Token: a\"b\n");
  });
});

const absent = (path: string): FileState => ({ path, exists: false });
const present = (path: string, type: "file" | "directory", checksum?: string): FileState => ({
  path, exists: true, type, mode: "0644", uid: 0, gid: 0, owner: "root", group: "root", size: 1, mtime: 0, nlink: 1, inode: 1, device: 1, ...(checksum ? { checksum } : {}),
});

function plan(raw: Record<string, unknown>, over: Partial<GetUrlProbe>) {
  const args = normalizeModuleArgs<GetUrlArgs>(getUrl, { url: "http://m.test/v1/kubelet", dest: "/usr/local/bin/kubelet", ...raw }).args;
  return planGetUrl(args, { algorithm: "sha256", dest: absent("/usr/local/bin/kubelet"), inside: absent("x"), parent: present("/usr/local/bin", "directory"), tool: "curl", ...over });
}

describe("planGetUrl", () => {
  it("downloads a missing file; keeps an existing one unless forced or its checksum differs", () => {
    expect(plan({}, {}).download).toBe(true);
    const existing = present("/usr/local/bin/kubelet", "file", SUM);
    expect(plan({}, { dest: existing })).toMatchObject({ download: false, changed: false, msg: "file already exists" });
    expect(plan({ force: true }, { dest: existing }).download).toBe(true);
    const pinned = { checksum: { algorithm: "sha256" as const, digest: SUM } };
    expect(plan({}, { dest: existing, ...pinned }).download).toBe(false);
    expect(plan({}, { dest: present("/usr/local/bin/kubelet", "file", "c".repeat(64)), ...pinned }).download).toBe(true);
  });

  it("downloads into a directory dest under the URL's file name", () => {
    expect(plan({ dest: "/opt" }, { dest: present("/opt", "directory") }).path).toBe("/opt/kubelet");
    expect(urlFileName("http://m.test/dl/")).toBe("index.html");
  });
});

describe("target download scripts, run with this machine's real curl and wget", () => {
  let server: Server;
  let base: string;
  const scratch = mkdtempSync(join(tmpdir(), "kplay-dlscript-"));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const authorized = req.headers.authorization === `Basic ${Buffer.from("ops:pa ss").toString("base64")}` && req.headers["x-token"] === "t0k";
      if (req.url === "/moved") return res.writeHead(302, { location: "/file" }).end();
      if (req.url !== "/file") return res.writeHead(404).end("nope");
      if (!authorized) return res.writeHead(401, { "www-authenticate": 'Basic realm="x"' }).end();
      res.writeHead(200).end("payload\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
  });

  async function download(tool: DownloadTool, path: string): Promise<{ rc: string; code: string; body: string }> {
    const req = { url: `${base}${path}`, timeout: 5, validateCerts: true, headers: { "X-Token": "t0k" }, username: "ops", password: "pa ss" };
    const out = join(scratch, `${tool}${path.replace(/\//g, "_")}`);
    const script = `tmp=${out}\n${downloadCommand(tool, req)}\necho "$rc $code"`;
    const child = spawn("sh", ["-c", script], { stdio: ["pipe", "pipe", "ignore"] });
    child.stdin.end(downloadConfig(tool, req));
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    await new Promise((resolve) => child.on("close", resolve));
    const [rc, code] = stdout.trim().split(" ");
    return { rc, code: code ?? "", body: existsSync(out) ? readFileSync(out, "utf8") : "" };
  }

  it.each(["curl", "wget"] as const)("%s sends credentials and headers from stdin, follows redirects, and reports the status", async (tool) => {
    expect(await download(tool, "/file")).toEqual({ rc: "0", code: "200", body: "payload\n" });
    expect(await download(tool, "/moved")).toMatchObject({ rc: "0", code: "200", body: "payload\n" });
    const missing = await download(tool, "/missing");
    expect(missing.code).toBe("404");
    expect(missing.rc).toBe(tool === "curl" ? "0" : "8"); // curl exits 0 on HTTP errors, wget 8 ("server issued an error response")
  });
});
