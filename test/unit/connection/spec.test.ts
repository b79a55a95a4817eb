// resolveConnectionSpec, with OpenSSH's own `ssh -G` as the oracle for ~/.ssh/config.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { homedir, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { behindBastion, parseSshArgs, resolveConnectionSpec } from "../../../src/engine/connection/spec.js";
import { KplayError } from "../../../src/engine/errors.js";

let dir: string;
let config: string;
let marker: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kplay-spec-"));
  marker = join(dir, "match-exec-ran");
  config = join(dir, "config");
  writeFileSync(config, [
    `Host web`,
    `  HostName 10.9.8.7`,
    `  Port 2200`,
    `  User admin`,
    `  IdentityFile ~/.ssh/web_key`,
    `  ProxyJump jumper@gate:2022`,
    `Host gate`,
    `  HostName gate.internal`,
    `Host *.lab`,
    `  User labuser`,
    `  ConnectTimeout 3`,
    ``,
  ].join("\n"));
});

/** What OpenSSH itself resolves for `host` with this config. */
function sshG(host: string): Record<string, string[]> {
  const out = execFileSync("ssh", ["-G", "-F", config, host], { encoding: "utf8" });
  const settings: Record<string, string[]> = {};
  for (const line of out.split("\n")) {
    const [key, ...rest] = line.split(" ");
    if (key) (settings[key] ??= []).push(rest.join(" "));
  }
  return settings;
}

describe("resolveConnectionSpec", () => {
  it("agrees with ssh -G on HostName, Port, User, IdentityFile and ProxyJump", () => {
    const spec = resolveConnectionSpec("web", {}, {}, config);
    const oracle = sshG("web");
    expect(spec.host).toBe(oracle.hostname[0]);
    expect(spec.port).toBe(Number(oracle.port[0]));
    expect(spec.user).toBe(oracle.user[0]);
    expect(spec.privateKeyFiles).toEqual(oracle.identityfile.map((f) => f.replace(/^~/, homedir())));
    expect(oracle.proxyjump[0]).toBe("jumper@gate:2022");
    expect(spec.jump).toMatchObject({ inventoryName: "jumper@gate:2022", host: sshG("gate").hostname[0], port: 2022, user: "jumper" });
  });

  it("follows Include with globs, in name order, as ssh -G does", () => {
    const parts = join(dir, "conf.d");
    mkdirSync(parts, { recursive: true });
    writeFileSync(join(parts, "20-db.conf"), "Host db\n  User second\n  Port 2020\n");
    writeFileSync(join(parts, "10-db.conf"), "Host db\n  User first\n");
    const including = join(dir, "including");
    writeFileSync(including, `Include ${parts}/*.conf\nHost *\n  User fallback\n`);
    const spec = resolveConnectionSpec("db", {}, {}, including);
    const oracle = execFileSync("ssh", ["-G", "-F", including, "db"], { encoding: "utf8" });
    expect(spec.user).toBe(/^user (.+)$/m.exec(oracle)?.[1]);
    expect(spec.port).toBe(Number(/^port (.+)$/m.exec(oracle)?.[1]));
    expect(spec).toMatchObject({ user: "first", port: 2020 });
  });

  it("never runs Match exec", () => {
    const risky = join(dir, "risky-config");
    writeFileSync(risky, `Match exec "touch ${marker}"
  User hijacked
Host web
  User admin
`);
    expect(resolveConnectionSpec("web", {}, {}, risky).user).toBe("admin");
    expect(existsSync(marker)).toBe(false);
  });

  it("applies wildcard sections and ConnectTimeout", () => {
    const spec = resolveConnectionSpec("db.lab", {}, {}, config);
    expect(spec.user).toBe(sshG("db.lab").user[0]);
    expect(spec.connectTimeoutMs).toBe(3000);
  });

  it("looks ansible_host up in ~/.ssh/config, as ssh does with the address it is given", () => {
    const spec = resolveConnectionSpec("frontend", { ansible_host: "web" }, {}, config);
    expect(spec).toMatchObject({ inventoryName: "frontend", host: "10.9.8.7", port: 2200 });
  });

  it("ranks inventory vars over -u/--private-key over ~/.ssh/config", () => {
    const cli = { user: "cliuser", privateKey: "/keys/cli", timeoutSeconds: 30 };
    expect(resolveConnectionSpec("web", {}, cli, config)).toMatchObject({ user: "cliuser", connectTimeoutMs: 30_000 });
    expect(resolveConnectionSpec("web", {}, cli, config).privateKeyFiles[0]).toBe("/keys/cli");
    const vars = { ansible_user: "varuser", ansible_port: 2222, ansible_ssh_private_key_file: "/keys/var", ansible_password: "pw" };
    expect(resolveConnectionSpec("web", vars, cli, config)).toMatchObject({ user: "varuser", port: 2222, password: "pw" });
    expect(resolveConnectionSpec("web", vars, cli, config).privateKeyFiles[0]).toBe("/keys/var");
  });

  it("falls back to OpenSSH's defaults without any configuration", () => {
    const spec = resolveConnectionSpec("plain", {}, {}, join(dir, "missing-config"));
    const defaults = ["id_ed25519", "id_ecdsa", "id_rsa"].map((f) => join(homedir(), ".ssh", f)).filter((f) => existsSync(f));
    expect(spec).toMatchObject({ transport: "ssh", host: "plain", port: 22, user: userInfo().username, connectTimeoutMs: 10_000, acceptNewHostKeys: false });
    expect(spec.privateKeyFiles).toEqual(defaults);
    expect(spec.knownHostsFiles[0]).toBe(join(homedir(), ".ssh", "known_hosts"));
  });

  it("reads a config again once it changed (it is parsed once for all hosts)", () => {
    const changing = join(dir, "changing-config");
    writeFileSync(changing, "Host *\n  User first\n");
    expect(resolveConnectionSpec("a", {}, {}, changing).user).toBe("first");
    writeFileSync(changing, "Host *\n  User second-user\n");
    expect(resolveConnectionSpec("b", {}, {}, changing).user).toBe("second-user");
  });

  it("takes known_hosts, host key policy and jump hosts from ansible_ssh_common_args", () => {
    const spec = resolveConnectionSpec("n1", {
      ansible_ssh_common_args: "-o UserKnownHostsFile=/tmp/kh -o 'StrictHostKeyChecking accept-new' -J root@bastion:2022",
    }, {}, config);
    expect(spec.knownHostsFiles[0]).toBe("/tmp/kh");
    expect(spec.acceptNewHostKeys).toBe(true);
    expect(spec.jump).toMatchObject({ host: "bastion", port: 2022, user: "root" });
    expect(parseSshArgs("-oPort=23 -o User=x")).toEqual({ port: "23", user: "x" });
  });

  it("takes ansible.cfg's ssh arguments where the host sets none of that kind, ssh_args first (as Ansible orders them)", () => {
    // Kubespray's ansible.cfg: hosts are re-created, so known_hosts is /dev/null.
    const sshArgs = { args: "-o ControlMaster=auto -o ControlPersist=30m -o ConnectionAttempts=100 -o UserKnownHostsFile=/dev/null", common: "-o Port=2200" };
    const spec = resolveConnectionSpec("n1", {}, { sshArgs, acceptNewHostKeys: true }, config);
    expect(spec.knownHostsFiles[0]).toBe("/dev/null");
    expect(spec.port).toBe(2200);
    // A host's own variable replaces the configured value of its kind, not the others.
    const own = resolveConnectionSpec("n1", { ansible_ssh_common_args: "-o Port=2300", ansible_ssh_args: "-o UserKnownHostsFile=/tmp/kh2" }, { sshArgs }, config);
    expect(own.knownHostsFiles[0]).toBe("/tmp/kh2");
    expect(own.port).toBe(2300);
    // ssh_args come before the common arguments: its -o wins, as the first value does in ssh.
    const both = resolveConnectionSpec("n1", {}, { sshArgs: { args: "-o Port=2400", common: "-o Port=2500" } }, config);
    expect(both.port).toBe(2400);
  });

  it("chains ProxyJump hops, the last one nearest the target", () => {
    const spec = resolveConnectionSpec("n1", { ansible_ssh_common_args: "-o ProxyJump=outer,inner:2200" }, {}, config);
    expect(spec.jump).toMatchObject({ host: "inner", port: 2200 });
    expect(spec.jump?.jump).toMatchObject({ host: "outer", port: 22 });
    expect(spec.jump?.jump?.jump).toBeUndefined();
  });

  it("maps ansible_connection: local, paramiko and smart; refuses the rest", () => {
    expect(resolveConnectionSpec("localhost", { ansible_connection: "local" }).transport).toBe("local");
    expect(resolveConnectionSpec("h", { ansible_connection: "paramiko" }, {}, config).transport).toBe("ssh");
    expect(() => resolveConnectionSpec("h", { ansible_connection: "docker" })).toThrow(/ansible_connection "docker" is not supported/);
  });

  it("reports a bad port or timeout as a variable error naming the host", () => {
    const error = (() => {
      try {
        resolveConnectionSpec("h", { ansible_port: "twenty-two" }, {}, config);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KplayError);
    expect((error as KplayError).context).toMatchObject({ kind: "variable", host: "h", message: 'host h: ansible_port "twenty-two" is not a port number' });
    expect(() => resolveConnectionSpec("h", {}, { timeoutSeconds: 0 }, config)).toThrow(/not a positive number of seconds/);
  });
});

describe("behindBastion", () => {
  it("routes every other ssh host through the bastion", () => {
    const bastion = resolveConnectionSpec("bastion", { ansible_host: "1.2.3.4" }, {}, config);
    const node = resolveConnectionSpec("node1", { ansible_host: "10.0.0.1" }, {}, config);
    expect(behindBastion(node, bastion).jump).toBe(bastion);
    expect(behindBastion(bastion, bastion).jump).toBeUndefined();
    expect(behindBastion(resolveConnectionSpec("localhost", { ansible_connection: "local" }), bastion).jump).toBeUndefined();
  });
});
