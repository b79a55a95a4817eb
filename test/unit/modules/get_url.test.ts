import { describe, expect, it } from "vitest";
import { getUrl, planGetUrl, urlFileName, type GetUrlArgs, type GetUrlProbe } from "../../../src/modules/get_url.js";
import { digestFromSumsFile, displayUrl, parseChecksumSpec } from "../../../src/modules/lib/checksum-spec.js";
import { downloadConfig } from "../../../src/modules/lib/download-target.js";
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
