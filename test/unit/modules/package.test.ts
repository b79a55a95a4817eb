import { describe, expect, it } from "vitest";
import {
  aptModule,
  packageModule,
  parseAptPolicy,
  parseCheckUpdate,
  parseDpkgQuery,
  parseRpmQuery,
  parseSpec,
  parseVersionlock,
  planPackage,
  versionMatches,
  type PackageArgs,
  type PackageState,
} from "../../../src/modules/package.js";
import { normalizeModuleArgs } from "../../../src/modules/validate-args.js";

const args = (more: Partial<PackageArgs>): PackageArgs => ({
  name: [],
  state: "present",
  update_cache: false,
  cache_valid_time: 0,
  allow_downgrade: false,
  purge: false,
  lock_timeout: 60,
  use: "auto",
  ...more,
});

const state = (more: Partial<PackageState>): PackageState => ({ manager: "apt", installed: {}, held: [], candidates: {}, cacheUpdated: false, ...more });

// Real `apt-cache policy` output for an installed package with a newer candidate.
const POLICY = `containerd:
  Installed: 1.6.20~ds1-1+b1
  Candidate: 1.6.20~ds1-1+deb12u1
  Version table:
     1.6.20~ds1-1+deb12u1 500
        500 http://deb.debian.org/debian-security bookworm-security/main amd64 Packages
 *** 1.6.20~ds1-1+b1 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
        100 /var/lib/dpkg/status
runc:
  Installed: (none)
  Candidate: 1.1.5+ds1-1+deb12u1
  Version table:
     1.1.5+ds1-1+deb12u1 500
        500 http://deb.debian.org/debian bookworm/main amd64 Packages
`;

describe("package output parsers", () => {
  it("reads candidates and offered versions from apt-cache policy", () => {
    expect(parseAptPolicy(POLICY)).toEqual({
      containerd: { candidate: "1.6.20~ds1-1+deb12u1", versions: ["1.6.20~ds1-1+deb12u1", "1.6.20~ds1-1+b1"] },
      runc: { candidate: "1.1.5+ds1-1+deb12u1", versions: ["1.1.5+ds1-1+deb12u1"] },
    });
  });

  it("counts installed and held-installed packages from dpkg-query, not removed ones", () => {
    expect(parseDpkgQuery("a\t1.0\tii \nb\t2.0\thi \nc\t3.0\trc \nd\t\tun \n")).toEqual({ a: "1.0", b: "2.0" });
  });

  it("reads rpm, check-update and versionlock output", () => {
    expect(parseRpmQuery("curl\t7.61.1-22.el8\npackage nope is not installed\n")).toEqual({ curl: "7.61.1-22.el8" });
    expect(parseCheckUpdate("\ncurl.x86_64    7.61.1-25.el8    baseos\n")).toEqual({ curl: { candidate: "7.61.1-25.el8", versions: ["7.61.1-25.el8"] } });
    expect(parseVersionlock("Last metadata expiration check: 0:01:02 ago.\ncurl-0:7.61.1-22.el8.*\nkubelet-1.29.0-0.*\n", ["curl", "kubelet", "kubeadm"])).toEqual(["curl", "kubelet"]);
  });

  it("splits pins and matches version globs", () => {
    expect(parseSpec("kubelet=1.29.3-1.1")).toEqual({ name: "kubelet", version: "1.29.3-1.1" });
    expect(versionMatches("1.29*", "1.29.3-1.1")).toBe(true);
    expect(versionMatches("1.2*", "1.29.3")).toBe(true);
    expect(versionMatches("1.2.?-1", "1.2.3-1")).toBe(true);
    expect(versionMatches("1.2", "1.29")).toBe(false);
  });
});

describe("package planning with apt", () => {
  it("resolves a wildcard pin to the best offered version", () => {
    const plan = planPackage(args({ name: ["containerd=1.6.20~ds1-1+b*"], allow_downgrade: true }), state({ candidates: parseAptPolicy(POLICY) }));
    expect(plan.commands).toEqual([
      "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold --no-install-recommends --allow-downgrades 'containerd=1.6.20~ds1-1+b1'",
    ]);
  });

  it("upgrades with latest only when the candidate differs", () => {
    const candidates = parseAptPolicy(POLICY);
    expect(planPackage(args({ name: ["containerd"], state: "latest" }), state({ installed: { containerd: "1.6.20~ds1-1+b1" }, candidates })).changed).toBe(true);
    expect(planPackage(args({ name: ["containerd"], state: "latest" }), state({ installed: { containerd: "1.6.20~ds1-1+deb12u1" }, candidates })).changed).toBe(false);
  });

  it("lets apt change a held package only when the task manages the hold", () => {
    const s = state({ installed: { runc: "1.0" }, held: ["runc"], candidates: parseAptPolicy(POLICY) });
    const plan = planPackage(args({ name: ["runc=1.1.5+ds1-1+deb12u1"], hold: true }), s);
    expect(plan.commands[0]).toContain("--allow-change-held-packages");
    expect(planPackage(args({ name: ["runc=1.1.5+ds1-1+deb12u1"] }), s).commands[0]).not.toContain("--allow-change-held-packages");
  });

  it("purges when asked", () => {
    expect(planPackage(args({ name: ["runc"], state: "absent", purge: true }), state({ installed: { runc: "1" } })).commands).toEqual([
      "env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q runc",
    ]);
  });

  it("reports a refreshed cache as the change when no package is named", () => {
    expect(planPackage(args({ update_cache: true }), state({ cacheUpdated: true })).changed).toBe(true);
    expect(planPackage(args({ name: ["runc"], update_cache: true }), state({ cacheUpdated: true, installed: { runc: "1" } })).changed).toBe(false);
  });
});

describe("package planning with dnf and yum (no such test host here)", () => {
  const rpm = (manager: "dnf" | "yum", more: Partial<PackageState> = {}) => state({ manager, ...more });

  it("installs missing packages, pinning with name-version", () => {
    const plan = planPackage(args({ name: ["containerd.io=1.6.*", "tar"] }), rpm("dnf"));
    expect(plan.commands).toEqual(["dnf install -y 'containerd.io-1.6.*' tar"]);
    expect(plan.result?.packages).toEqual({ "containerd.io": "1.6.*", tar: "latest" });
  });

  it("passes install_recommends to dnf as install_weak_deps only when given", () => {
    expect(planPackage(args({ name: ["tar"], install_recommends: false }), rpm("dnf")).commands).toEqual(["dnf install -y --setopt=install_weak_deps=False tar"]);
  });

  it("upgrades installed packages with their own verb for latest", () => {
    const s = { installed: { curl: "7.61.1-22.el8" }, candidates: parseCheckUpdate("curl.x86_64 7.61.1-25.el8 baseos\n") };
    expect(planPackage(args({ name: ["curl", "jq"], state: "latest" }), rpm("dnf", s)).commands).toEqual(["dnf install -y jq", "dnf upgrade -y curl"]);
    expect(planPackage(args({ name: ["curl"], state: "latest" }), rpm("yum", s)).commands).toEqual(["yum update -y curl"]);
  });

  it("removes, holds and unholds with versionlock", () => {
    expect(planPackage(args({ name: ["curl"], state: "absent" }), rpm("yum", { installed: { curl: "1" } })).commands).toEqual(["yum remove -y curl"]);
    expect(planPackage(args({ name: ["kubelet"], hold: true }), rpm("dnf", { installed: { kubelet: "1.29" } })).commands).toEqual(["dnf versionlock add kubelet"]);
    expect(planPackage(args({ name: ["kubelet"], hold: false }), rpm("dnf", { installed: { kubelet: "1.29" }, held: ["kubelet"] })).commands).toEqual(["dnf versionlock delete kubelet"]);
  });
});

describe("package arguments", () => {
  it("accepts a single name, Ansible's spellings and fills defaults", () => {
    const { args: a, errors } = normalizeModuleArgs<PackageArgs>(packageModule, { pkg: "curl", "update-cache": "yes", state: "installed" });
    expect(errors).toEqual([]);
    expect(a).toMatchObject({ name: ["curl"], update_cache: true, state: "installed", lock_timeout: 60, use: "auto" });
  });

  it("defaults the manager to apt when called as apt", () => {
    expect(normalizeModuleArgs<PackageArgs>(aptModule, { update_cache: true }).args.use).toBe("apt");
  });
});
