// Every YAML reader decrypts what Ansible's loader decrypts: whole vault files and inline `!vault`
// values, in inventory YAML, group_vars/host_vars and playbook-side files; errors name file and line.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatError } from "../../../src/engine/errors.js";
import { loadVarsFiles } from "../../../src/engine/inventory/vars-files.js";
import { loadYamlFile, plainData } from "../../../src/engine/inventory/yaml-file.js";
import { SourceFile } from "../../../src/engine/playbook/source.js";
import { encryptWith, VaultKeyring } from "../../../src/engine/vault/keyring.js";
import { startVaultSession } from "../../../src/engine/vault/session.js";
import { VaultedString } from "../../../src/engine/vault/vaulted-yaml.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/vault");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");
const RIGHT = new VaultKeyring([{ id: "default", password: Buffer.from("kplay-fixture-pw") }]);
const WRONG = new VaultKeyring([{ id: "dev", password: Buffer.from("wrong-pw") }]);

const dir = mkdtempSync(join(tmpdir(), "kplay-vaulted-"));
function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

afterEach(() => startVaultSession(new VaultKeyring()));

describe("inventory-side YAML (loadYamlFile, group_vars/host_vars)", () => {
  it("decrypts a whole vault file and inline values", () => {
    startVaultSession(RIGHT);
    const whole = loadYamlFile(fixture("ansible-1.1.yml"), "group_vars/all.yml");
    expect(whole.errors).toEqual([]);
    expect(plainData(whole.value)).toEqual({ db_password: "fixture-db-secret", replicas: 3 });
    const inline = loadYamlFile(fixture("inline.yml"), "inline.yml");
    expect(plainData(inline.value)).toEqual({ plain: "visible", inline_secret: "fixture-inline-secret" });
  });

  it("merges a vaulted file of a group_vars directory with its plain neighbours", () => {
    startVaultSession(RIGHT);
    const files = [write("10-plain.yml", "replicas: 1\nregion: eu\n"), write("20-vault.yml", fixture("ansible-1.1.yml"))];
    expect(loadVarsFiles(files)).toEqual({ vars: { replicas: 3, region: "eu", db_password: "fixture-db-secret" }, errors: [] });
  });

  it("keeps inline values encrypted when the session says so (kplay inventory)", () => {
    startVaultSession(RIGHT, "keep");
    const value = plainData(loadYamlFile(fixture("inline.yml"), "inline.yml").value) as Record<string, unknown>;
    expect(value.inline_secret).toBeInstanceOf(VaultedString);
    expect((value.inline_secret as VaultedString).__ansible_vault).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n[0-9a-f]{80}\n/);
  });

  it("without a secret, says where the vaulted data is and which flag to pass", () => {
    const whole = loadYamlFile(fixture("ansible-1.1.yml"), "group_vars/all.yml");
    expect(formatError(whole.errors[0].context)).toBe(
      "ERROR: group_vars/all.yml:1:1: found vaulted data in group_vars/all.yml:1 but no vault secret was given; " +
        "pass --vault-password-file or --ask-vault-pass\n  hint: or --vault-id LABEL@FILE, or set ANSIBLE_VAULT_PASSWORD_FILE",
    );
    // The header of the inline value is on line 4 of inline.yml (after `inline_secret: !vault |`).
    expect(loadYamlFile(fixture("inline.yml"), "inline.yml").errors[0].context.position).toEqual({ file: "inline.yml", line: 4, column: 1 });
  });

  it("with the wrong secret, names the file and the vault-ids tried", () => {
    startVaultSession(WRONG);
    const [error] = loadVarsFiles([join(FIXTURES, "ansible-1.1.yml")]).errors;
    expect(error.message).toBe(`decryption failed for ${join(FIXTURES, "ansible-1.1.yml")} (no vault secret matched; vault-id tried: dev)`);
  });

  it("points at the damaged line of an inline value", () => {
    startVaultSession(RIGHT);
    const text = fixture("inline.yml").split("\n");
    text[6] = text[6].replace(/[0-9a-f]{4}$/, "qqqq");
    const [error] = loadYamlFile(text.join("\n"), "inline.yml").errors;
    expect(error.context.position).toEqual({ file: "inline.yml", line: 7, column: 1 });
    expect(error.message).toMatch(/^corrupt vault data in inline\.yml at line 7: /);
  });
});

describe("playbook-side YAML (SourceFile: playbooks, roles, vars_files, include_vars, -e @file)", () => {
  it("decrypts a whole vault file and inline values", () => {
    startVaultSession(RIGHT);
    expect(SourceFile.parse("vars.yml", fixture("ansible-1.1.yml"), "variable").file?.value).toEqual({ db_password: "fixture-db-secret", replicas: 3 });
    expect(SourceFile.parse("inline.yml", fixture("inline.yml")).file?.value).toEqual({ plain: "visible", inline_secret: "fixture-inline-secret" });
  });

  it("reports a missing secret with the position of the value", () => {
    const { file, errors } = SourceFile.parse("play.yml", `- hosts: all\n  vars:\n    x: !vault |\n${fixture("inline.yml").split("\n").slice(3).join("\n")}`);
    expect(file).toBeUndefined();
    expect(errors).toEqual([expect.objectContaining({ kind: "playbook", position: { file: "play.yml", line: 4, column: 1 } })]);
  });

  it("never puts the plaintext of a vaulted file in a YAML error", () => {
    startVaultSession(RIGHT);
    const { errors } = SourceFile.parse("bad.yml", encryptWith(RIGHT.secrets[0], Buffer.from("key: [unclosed-secret-value\n")));
    expect(errors[0].message).toMatch(/^invalid YAML/);
    expect(JSON.stringify(errors)).not.toContain("unclosed-secret-value");
  });
});
