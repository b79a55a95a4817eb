// package (ansible.builtin.package, with the apt/dnf/yum arguments Kubespray uses): install,
// remove, upgrade and hold packages with the host's manager. One probe reads installed versions,
// holds and candidates; the pure plan decides the manager commands. A manager busy with another
// client (apt's lock) is waited for up to `lock_timeout`, then reported with who holds the lock.
import { setTimeout as sleepFor } from "node:timers/promises";
import { shellJoin } from "../engine/shell-quote.js";
import { stateDiff } from "./lib/diff.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runRemote } from "./lib/remote.js";
import { runSections } from "./lib/sections.js";
import type { ModuleContext } from "./types.js";

export type Manager = "apt" | "dnf" | "yum";

export interface PackageArgs {
  name: string[];
  state: "present" | "installed" | "absent" | "removed" | "latest";
  update_cache: boolean;
  cache_valid_time: number;
  hold?: boolean;
  install_recommends?: boolean;
  allow_downgrade: boolean;
  purge: boolean;
  lock_timeout: number;
  use: "auto" | Manager;
}

export interface PackageSpec {
  name: string;
  /** Exact version or a glob (`1.2*`). */
  version?: string;
}

export interface Candidate {
  /** What the manager would install now; undefined when no repository offers the package. */
  candidate?: string;
  /** Every version the repositories offer, best first (apt-cache policy order). */
  versions: string[];
}

export interface PackageState {
  manager: Manager;
  installed: Record<string, string>;
  held: string[];
  /** apt: from `apt-cache policy`; dnf/yum: only `candidate` for packages with an update. */
  candidates: Record<string, Candidate>;
  cacheUpdated: boolean;
  cacheUpdateTime?: number;
}

export interface PackagePlan extends Plan {
  /** Manager commands, in order; each is retried while the package database is locked. */
  commands: string[];
}

const PACKAGE_NAME = "^[A-Za-z0-9][A-Za-z0-9+._:-]*(=[A-Za-z0-9+.~:*?_-]+)?$";

export function parseSpec(spec: string): PackageSpec {
  const eq = spec.indexOf("=");
  return eq < 0 ? { name: spec } : { name: spec.slice(0, eq), version: spec.slice(eq + 1) };
}

/** fnmatch-style version pins: `1.2*` matches 1.2.3-1, `1.2.?-1` matches 1.2.3-1. */
export function versionMatches(pattern: string, version: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${re}$`).test(version);
}

/** Parses `apt-cache policy` for several packages into candidates and offered versions. */
export function parseAptPolicy(text: string): Record<string, Candidate> {
  const out: Record<string, Candidate> = {};
  let current: Candidate | undefined;
  let inTable = false;
  for (const line of text.split("\n")) {
    const head = /^(\S+):$/.exec(line);
    if (head) {
      current = { versions: [] };
      out[head[1].replace(/:[a-z0-9]+$/, "")] = current;
      inTable = false;
      continue;
    }
    if (!current) continue;
    const cand = /^\s+Candidate:\s+(\S+)/.exec(line);
    if (cand) {
      if (cand[1] !== "(none)") current.candidate = cand[1];
      continue;
    }
    if (/^\s+Version table:/.test(line)) {
      inTable = true;
      continue;
    }
    // " *** 1.0-1 500" (installed) or "     1.1-1 500"; the source lines below each are indented further.
    const version = inTable ? /^ (?:\*\*\*| {3}) (\S+) -?\d+$/.exec(line) : null;
    if (version) current.versions.push(version[1]);
  }
  return out;
}

/**
 * `dpkg-query -W -f '${Package}\t${Version}\t${db:Status-Abbrev}\n'`: the abbreviation's second
 * letter is the package's state, `i` for fully installed ("ii", or "hi" when held).
 */
export function parseDpkgQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const [name, version, status] = line.split("\t");
    if (name && version && status?.[1] === "i") out[name] = version;
  }
  return out;
}

/** `rpm -q --qf '%{NAME}\t%{VERSION}-%{RELEASE}\n'`; "package x is not installed" lines have no tab. */
export function parseRpmQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const [name, version] = line.split("\t");
    if (name && version) out[name] = version;
  }
  return out;
}

/** `dnf/yum check-update` lines: `name.arch  version  repo`. */
export function parseCheckUpdate(text: string): Record<string, Candidate> {
  const out: Record<string, Candidate> = {};
  for (const line of text.split("\n")) {
    const m = /^(\S+)\.(\S+)\s+(\S+)\s+\S+\s*$/.exec(line);
    if (m) out[m[1]] = { candidate: m[3], versions: [m[3]] };
  }
  return out;
}

/** `dnf versionlock list`: `name-[epoch:]version-release.*` entries. */
export function parseVersionlock(text: string, names: string[]): string[] {
  return names.filter((n) =>
    text.split("\n").some((l) => l.startsWith(`${n}-`) && /^(\d+:)?\d/.test(l.slice(n.length + 1))),
  );
}

export function isPresentState(state: PackageArgs["state"]): boolean {
  return state === "present" || state === "installed";
}

function missing(spec: PackageSpec): ModuleFailure {
  return new ModuleFailure(`No package matching '${spec.version ? `${spec.name}=${spec.version}` : spec.name}' is available`);
}

/** The manager's word for "this exact version" (apt `name=1.0-1`, dnf `name-1.0-1`). */
function pinned(manager: Manager, name: string, version: string): string {
  return manager === "apt" ? `${name}=${version}` : `${name}-${version}`;
}

/** What to install for one spec (the manager's word and the version it will bring), or undefined when the host already satisfies it. */
function installTarget(args: PackageArgs, state: PackageState, spec: PackageSpec): { word: string; version: string } | undefined {
  const installed = state.installed[spec.name];
  const offered = state.candidates[spec.name];
  const best = offered?.candidate ?? "latest";
  if (spec.version !== undefined) {
    if (installed !== undefined && versionMatches(spec.version, installed)) return undefined;
    // dnf and yum resolve version globs themselves.
    if (state.manager !== "apt") return { word: pinned(state.manager, spec.name, spec.version), version: spec.version };
    const version = offered?.versions.find((v) => versionMatches(spec.version!, v));
    if (!version) throw missing(spec);
    return { word: pinned("apt", spec.name, version), version };
  }
  if (args.state === "latest" && installed !== undefined) {
    return offered?.candidate !== undefined && offered.candidate !== installed ? { word: spec.name, version: best } : undefined;
  }
  if (installed !== undefined) return undefined;
  // dnf/yum probes do not list what is available; the install itself reports a missing package.
  if (state.manager === "apt" && offered?.candidate === undefined) throw missing(spec);
  return { word: spec.name, version: best };
}

function aptInstall(args: PackageArgs, targets: string[], changesHeld: boolean): string {
  return shellJoin([
    "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q",
    "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold",
    args.install_recommends ? "--install-recommends" : "--no-install-recommends",
    ...(args.allow_downgrade ? ["--allow-downgrades"] : []),
    ...(changesHeld ? ["--allow-change-held-packages"] : []),
    ...targets,
  ]);
}

function rpmInstall(args: PackageArgs, manager: Manager, verb: "install" | "upgrade" | "update", targets: string[]): string {
  const weakDeps = args.install_recommends === undefined ? [] : [`--setopt=install_weak_deps=${args.install_recommends ? "True" : "False"}`];
  return shellJoin([manager, verb, "-y", ...(manager === "dnf" ? weakDeps : []), ...(args.allow_downgrade && manager === "dnf" ? ["--allowerasing"] : []), ...targets]);
}

export function planPackage(args: PackageArgs, state: PackageState): PackagePlan {
  const specs = args.name.map(parseSpec);
  const names = specs.map((s) => s.name);
  const m = state.manager;
  const commands: string[] = [];

  const targets: string[] = [];
  const upgrades: string[] = [];
  /** Package name -> version it will have after the plan runs. */
  const coming: Record<string, string> = {};
  if (isPresentState(args.state) || args.state === "latest") {
    for (const spec of specs) {
      const target = installTarget(args, state, spec);
      if (target === undefined) continue;
      coming[spec.name] = target.version;
      // dnf/yum install nothing for a package that is installed: an upgrade is its own verb.
      if (m !== "apt" && state.installed[spec.name] !== undefined && spec.version === undefined) upgrades.push(target.word);
      else targets.push(target.word);
    }
  }
  const removals = args.state === "absent" || args.state === "removed" ? names.filter((n) => state.installed[n] !== undefined) : [];
  const holds = args.hold === true && args.state !== "absent" && args.state !== "removed" ? names.filter((n) => !state.held.includes(n)) : [];
  const unholds = args.hold === false || ((args.state === "absent" || args.state === "removed") && args.hold !== undefined)
    ? names.filter((n) => state.held.includes(n))
    : [];

  if (unholds.length) commands.push(m === "apt" ? shellJoin(["apt-mark", "unhold", ...unholds]) : shellJoin([m, "versionlock", "delete", ...unholds]));
  if (targets.length) {
    const changesHeld = args.hold !== undefined && Object.keys(coming).some((n) => state.held.includes(n));
    commands.push(m === "apt" ? aptInstall(args, targets, changesHeld) : rpmInstall(args, m, "install", targets));
  }
  if (upgrades.length) commands.push(rpmInstall(args, m, m === "dnf" ? "upgrade" : "update", upgrades));
  if (removals.length) {
    commands.push(
      m === "apt"
        ? shellJoin(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", args.purge ? "purge" : "remove", "-y", "-q", ...removals])
        : shellJoin([m, "remove", "-y", ...removals]),
    );
  }
  if (holds.length) commands.push(m === "apt" ? shellJoin(["apt-mark", "hold", ...holds]) : shellJoin([m, "versionlock", "add", ...holds]));

  const describe = (installed: (n: string) => string | undefined, held: (n: string) => boolean) =>
    Object.fromEntries(names.map((n) => [n, `${installed(n) ?? "absent"}${held(n) ? " (held)" : ""}`]));
  const wantedVersion = (n: string): string | undefined => (removals.includes(n) ? undefined : coming[n] ?? state.installed[n]);
  const heldAfter = (n: string) => (holds.includes(n) ? true : unholds.includes(n) ? false : state.held.includes(n));
  const changed = commands.length > 0 || (args.name.length === 0 && state.cacheUpdated);
  return {
    changed,
    commands,
    diff: [stateDiff("packages", describe((n) => state.installed[n], (n) => state.held.includes(n)), describe(wantedVersion, heldAfter))],
    result: {
      cache_updated: state.cacheUpdated,
      ...(state.cacheUpdateTime !== undefined ? { cache_update_time: state.cacheUpdateTime } : {}),
      packages: Object.fromEntries(names.map((n) => [n, wantedVersion(n) ?? null])),
    },
  };
}

// Messages of a package manager that found its database locked by another client.
const LOCKED = /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock (the administration|directory)|dpkg was interrupted.*lock/i;

/** Runs a manager command, waiting while another client holds its lock, up to `lockTimeout` seconds. */
export async function runManager(ctx: ModuleContext, command: string, what: string, lockTimeout: number): Promise<string> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const r = await runRemote(ctx, command);
    if (r.rc === 0) return r.stdout;
    const locked = LOCKED.test(r.stderr);
    const waited = (Date.now() - started) / 1000;
    if (locked && waited < lockTimeout) {
      await sleepFor(Math.min(2000, (lockTimeout - waited) * 1000), undefined, ctx.signal ? { signal: ctx.signal } : {});
      continue;
    }
    const said = (r.stderr.trim() || r.stdout.trim()).split("\n").slice(-5).join("\n");
    if (locked) {
      throw new ModuleFailure(
        `${what}: the package database stayed locked by another process for ${Math.round(waited)} s (${attempt} attempts, lock_timeout=${lockTimeout}): ${said}`,
        { rc: r.rc, stderr: r.stderr },
      );
    }
    throw new ModuleFailure(`${what}: failed (rc ${r.rc}): ${said}`, { rc: r.rc, stdout: r.stdout, stderr: r.stderr });
  }
}

function factManager(facts: Record<string, unknown>): Manager | undefined {
  const fact = facts.pkg_mgr ?? facts.ansible_pkg_mgr;
  return fact === "apt" || fact === "dnf" || fact === "yum" ? fact : undefined;
}

// apt's cache age, as Ansible reads it: the update-success stamp, else the lists directory.
const APT_STAMP = "/var/lib/apt/periodic/update-success-stamp";
const APT_CACHE_AGE = `date +%s; stat -c %Y ${APT_STAMP} 2>/dev/null || stat -c %Y /var/lib/apt/lists`;

async function probePackages(ctx: ModuleContext, args: PackageArgs, manager: Manager | undefined): Promise<Omit<PackageState, "cacheUpdated"> & { cacheAge?: number }> {
  const names = args.name.map((n) => parseSpec(n).name);
  const detect = { name: "manager", command: "for m in apt-get dnf yum; do command -v $m >/dev/null && { echo $m; exit 0; }; done; exit 1" };
  // Without names, dpkg-query and apt-cache policy would list everything: ask them nothing.
  const forNames = (command: string) => (names.length ? command : "true");
  const aptProbes = [
    { name: "dpkg", command: forNames(`dpkg-query -W -f '\${Package}\\t\${Version}\\t\${db:Status-Abbrev}\\n' ${shellJoin(names)} 2>/dev/null`) },
    { name: "holds", command: "apt-mark showhold" },
    { name: "policy", command: forNames(`apt-cache policy ${shellJoin(names)}`) },
    { name: "cacheAge", command: APT_CACHE_AGE },
  ];
  const rpmProbes = (m: Manager) => [
    { name: "rpm", command: forNames(`rpm -q --qf '%{NAME}\\t%{VERSION}-%{RELEASE}\\n' ${shellJoin(names)}`) },
    { name: "holds", command: `${m} versionlock list 2>/dev/null` },
    { name: "updates", command: args.state === "latest" && names.length ? `${m} -q check-update ${shellJoin(names)}` : "true" },
  ];
  const get = await runSections(ctx, manager
    ? (manager === "apt" ? aptProbes : rpmProbes(manager))
    : [detect, ...aptProbes.map((p) => ({ ...p, command: `command -v apt-get >/dev/null || exit 0; ${p.command}` }))]);
  let m = manager;
  if (!m) {
    const found = get("manager").text.trim();
    if (!found) throw new ModuleFailure("no supported package manager on this host (looked for apt-get, dnf, yum)");
    m = found === "apt-get" ? "apt" : (found as Manager);
    if (m !== "apt") return probePackages(ctx, args, m);
  }
  if (m === "apt") {
    const [now, stamp] = get("cacheAge").text.trim().split("\n").map(Number);
    return {
      manager: m,
      installed: parseDpkgQuery(get("dpkg").text),
      held: get("holds").text.split("\n").map((l) => l.trim()).filter((n) => names.includes(n)),
      candidates: parseAptPolicy(get("policy").text),
      ...(Number.isFinite(stamp) ? { cacheUpdateTime: stamp, cacheAge: now - stamp } : {}),
    };
  }
  const updates = get("updates");
  if (updates.rc !== 0 && updates.rc !== 100) throw new ModuleFailure(`${m} check-update failed (rc ${updates.rc})`);
  return {
    manager: m,
    installed: parseRpmQuery(get("rpm").text),
    held: parseVersionlock(get("holds").text, names),
    candidates: parseCheckUpdate(updates.text),
  };
}

function cacheUpdateCommand(manager: Manager): string {
  return manager === "apt" ? `apt-get update -q && mkdir -p ${APT_STAMP.replace(/\/[^/]+$/, "")} && touch ${APT_STAMP}` : `${manager} makecache -q`;
}

/**
 * `package` picks the manager from facts or the host; `apt`, `dnf` and `yum` are the same module
 * with that manager as the default of `use`, so Kubespray's `apt: update_cache=yes` ports as is.
 */
function packageOperation(name: string, manager: PackageArgs["use"]) {
  return defineOperation<PackageArgs, PackageState, PackagePlan>({
    name,
    schema: {
      type: "object",
      additionalProperties: false,
      properties: {
        name: { type: "array", items: { type: "string", pattern: PACKAGE_NAME }, default: [], aliases: ["pkg"] },
        state: { type: "string", enum: ["present", "installed", "absent", "removed", "latest"], default: "present" },
        update_cache: { type: "boolean", default: false, aliases: ["update-cache"] },
        cache_valid_time: { type: "integer", minimum: 0, default: 0 },
        hold: { type: "boolean" },
        install_recommends: { type: "boolean", aliases: ["install-recommends"] },
        allow_downgrade: { type: "boolean", default: false, aliases: ["allow-downgrade", "allow_downgrades", "allow-downgrades"] },
        purge: { type: "boolean", default: false },
        lock_timeout: { type: "integer", minimum: 0, default: 60 },
        use: { type: "string", enum: ["auto", "apt", "dnf", "yum"], default: manager },
      },
    },
    async probe(ctx, args) {
      const wanted = args.use === "auto" ? factManager(ctx.facts) : args.use;
      let state = await probePackages(ctx, args, wanted);
      let cacheUpdated = false;
      const wantsUpdate = args.update_cache || args.cache_valid_time > 0;
      const stale = state.manager !== "apt" || state.cacheAge === undefined || state.cacheAge >= args.cache_valid_time;
      if (wantsUpdate && stale) {
        // Refreshing the cache changes what is offered, so in a real run the state is read again;
        // check mode reports the refresh without doing it (as Ansible does).
        cacheUpdated = true;
        if (!ctx.check) {
          await runManager(ctx, cacheUpdateCommand(state.manager), "update the package cache", args.lock_timeout);
          state = await probePackages(ctx, args, state.manager);
        }
      }
      const { cacheAge: _age, ...rest } = state;
      return { ...rest, cacheUpdated };
    },
    plan: (args, state) => planPackage(args, state),
    async apply(ctx, args, plan, state) {
      for (const command of plan.commands) {
        await runManager(ctx, command, `${state.manager}: ${command.replace(/^env DEBIAN_FRONTEND=noninteractive /, "")}`, args.lock_timeout);
      }
    },
  });
}

export const packageModule = packageOperation("package", "auto");
export const aptModule = packageOperation("apt", "apt");
export const dnfModule = packageOperation("dnf", "dnf");
export const yumModule = packageOperation("yum", "yum");
