// `kplay inventory` on a Kubespray-style inventory with vaulted group_vars/host_vars and inline
// `!vault` values prints what `ansible-inventory --vault-...` prints (compared as parsed JSON).
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../unit/cli/run-cli.js";
import { ansible, scratch, type Scratch } from "./vault-helpers.js";

let s: Scratch;
let secretArgs: string[];

async function vaultFile(name: string, text: string, vaultId: string): Promise<void> {
  const path = s.write(name, text);
  const run = await ansible("ansible-vault", ["encrypt", "--vault-id", vaultId, path], s.dir);
  expect(run.code, run.stderr).toBe(0);
}

async function inlineValue(name: string, value: string, vaultId: string, indent: string): Promise<string> {
  const run = await ansible("ansible-vault", ["encrypt_string", "--vault-id", vaultId, "--name", name, value], s.dir);
  return run.stdout.trimEnd().replace(/\n/g, `\n${indent}`);
}

beforeAll(async () => {
  s = scratch("kplay-vault-inventory-");
  const dev = `dev@${s.write("dev.pw", "dev-inventory-pw\n")}`;
  const prod = `prod@${s.write("prod.pw", "prod-inventory-pw\n")}`;
  const plainPw = s.write("default.pw", "default-inventory-pw\n");
  secretArgs = ["--vault-id", dev, "--vault-id", prod, "--vault-password-file", plainPw];
  const hostToken = await inlineValue("host_token", "inline-host-secret", dev, "      ");
  const groupToken = await inlineValue("etcd_token", "inline-group-secret", prod, "      ");
  s.write(
    "inventory/hosts.yml",
    [
      "all:",
      "  children:",
      "    kube_control_plane:",
      "      hosts:",
      "        cp1:",
      `          ${hostToken.replace(/\n/g, "\n    ")}`,
      "        cp2: {}",
      "    etcd:",
      "      hosts:",
      "        cp1: {}",
      "      vars:",
      `        ${groupToken.replace(/\n/g, "\n  ")}`,
      "",
    ].join("\n"),
  );
  await vaultFile("inventory/group_vars/all/vault.yml", "registry_password: all-vaulted\nkube_version: v1.30.0\n", `default@${plainPw}`);
  s.write("inventory/group_vars/all/main.yml", "kube_network_plugin: calico\nregistry_password: overridden-by-vault-yml\n");
  await vaultFile("inventory/group_vars/etcd.yml", "etcd_peer_key: etcd-file-secret\n", prod);
  await vaultFile("inventory/host_vars/cp2", "ansible_host: 10.0.0.2\nnode_secret: cp2-secret\n", dev);
});

async function bothViews(action: string[]): Promise<{ kplay: unknown; ansible: unknown }> {
  const inventory = s.path("inventory/hosts.yml");
  const theirs = await ansible("ansible-inventory", ["-i", inventory, "--playbook-dir", s.dir, ...secretArgs, ...action], s.dir);
  expect(theirs.code, theirs.stderr).toBe(0);
  const ours = await runCli(["inventory", "-i", inventory, "--playbook-dir", s.dir, ...secretArgs, ...action]);
  expect(ours.code, ours.stderr).toBe(0);
  return { kplay: JSON.parse(ours.stdout), ansible: JSON.parse(theirs.stdout) };
}

describe("kplay inventory with vaulted variables, compared with ansible-inventory", () => {
  it("--list: whole vault files decrypted, inline values shown as __ansible_vault", async () => {
    const { kplay, ansible: expected } = await bothViews(["--list"]);
    expect(kplay).toEqual(expected);
    // The comparison covered vaulted data of every kind.
    const hostvars = (expected as { _meta: { hostvars: Record<string, Record<string, unknown>> } })._meta.hostvars;
    expect(hostvars.cp1).toMatchObject({ registry_password: "all-vaulted", etcd_peer_key: "etcd-file-secret", host_token: { __ansible_vault: expect.any(String) } });
    expect(hostvars.cp2).toMatchObject({ node_secret: "cp2-secret" });
  });

  it("--host", async () => {
    const { kplay, ansible: expected } = await bothViews(["--host", "cp1"]);
    expect(kplay).toEqual(expected);
  });

  it("needs no secret for inline values, like ansible-inventory (they stay encrypted)", async () => {
    // The same hosts file, away from the vaulted group_vars/ and host_vars/.
    const inventory = s.write("inline-only/hosts.yml", readFileSync(s.path("inventory/hosts.yml"), "utf8"));
    const theirs = await ansible("ansible-inventory", ["-i", inventory, "--list"], s.dir);
    expect(theirs.code, theirs.stderr).toBe(0);
    const ours = await runCli(["inventory", "-i", inventory, "--list"]);
    expect(ours.code, ours.stderr).toBe(0);
    expect(JSON.parse(ours.stdout)).toEqual(JSON.parse(theirs.stdout));
  });

  it("refuses, like ansible-inventory, when the secret of a vaulted file is missing", async () => {
    const inventory = s.path("inventory/hosts.yml");
    const theirs = await ansible("ansible-inventory", ["-i", inventory, "--list", "--vault-id", secretArgs[1]], s.dir);
    expect(theirs.code).not.toBe(0);
    const ours = await runCli(["inventory", "-i", inventory, "--list", "--vault-id", secretArgs[1]]);
    expect(ours.code).toBe(5);
    expect(ours.stderr).toContain(`decryption failed for ${s.path("inventory/group_vars/all/vault.yml")} (no vault secret matched; vault-id tried: dev)`);
    expect(ours.stdout).toBe("");
  });
});
