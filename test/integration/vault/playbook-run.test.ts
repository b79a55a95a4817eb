// Real runs (kplay's CLI in-process, the real executor) that use vaulted variables from everywhere
// Ansible decrypts them: group_vars, host_vars, playbook vars, vars_files, role defaults and vars,
// include_vars and -e @file. Wrong, missing and damaged secrets stop the run before it starts; no
// password or decrypted value shows in any output. One run goes to a real SSH host.
import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inlineVaultBlock } from "../../../src/engine/vault/inline-block.js";
import { encryptWith, type VaultSecret } from "../../../src/engine/vault/keyring.js";
import { startHosts, type TestHosts } from "../../support/hosts.js";
import { runCli, type CliRun } from "../../unit/cli/run-cli.js";
import { scratch, type Scratch } from "./vault-helpers.js";

const PASSWORD = "run-vault-pw-93kd";
const SECRET: VaultSecret = { id: "default", password: Buffer.from(PASSWORD) };
/** One secret per place a vaulted value can come from; none may ever be printed. */
const VALUES = {
  group_secret: "gv-secret-a1",
  host_secret: "hv-secret-b2",
  play_secret: "pv-secret-c3",
  file_secret: "vf-secret-d4",
  default_secret: "rd-secret-e5",
  role_secret: "rv-secret-f6",
  included_secret: "iv-secret-g7",
  extra_secret: "ev-secret-h8",
};
const EXPECTED_CONTENT = Object.values(VALUES).join("|");

const vaulted = (text: string): string => encryptWith(SECRET, Buffer.from(text));
const inline = (name: string, value: string, indent: string): string => `${indent}${inlineVaultBlock(vaulted(value), name).replace(/\n/g, `\n${indent}`)}\n`;

let s: Scratch;
let passwordFile: string;
let passwordScript: string;

beforeAll(() => {
  s = scratch("kplay-vault-run-");
  passwordFile = s.write("vault-pass.txt", `${PASSWORD}\n`);
  passwordScript = s.write("vault-pass.sh", `#!/bin/sh\necho '${PASSWORD}'\n`, 0o755);
  s.write("inventory.ini", "local ansible_connection=local\n");
  s.write("group_vars/all.yml", vaulted(`group_secret: ${VALUES.group_secret}\n`));
  s.write("host_vars/local.yml", `plain: visible\n${inline("host_secret", VALUES.host_secret, "")}`);
  s.write("secrets/vars-file.yml", vaulted(`file_secret: ${VALUES.file_secret}\n`));
  s.write("secrets/included.yml", vaulted(`included_secret: ${VALUES.included_secret}\n`));
  s.write("extra.yml", vaulted(`extra_secret: ${VALUES.extra_secret}\n`));
  s.write("roles/app/defaults/main.yml", inline("default_secret", VALUES.default_secret, ""));
  s.write("roles/app/vars/main.yml", vaulted(`role_secret: ${VALUES.role_secret}\n`));
  s.write(
    "roles/app/tasks/main.yml",
    [
      "- include_vars: ../../../secrets/included.yml",
      // include_vars shows what it loaded at -v, as Ansible does: vaulted values too, unless no_log.
      "  no_log: true",
      "- name: write every secret",
      "  copy:",
      `    dest: "{{ out }}"`,
      `    content: "{{ [group_secret, host_secret, play_secret, file_secret, default_secret, role_secret, included_secret, extra_secret] | join('|') }}"`,
      "  no_log: true",
      "",
    ].join("\n"),
  );
  s.write(
    "playbook.yml",
    `- hosts: all\n  gather_facts: false\n  vars_files: [secrets/vars-file.yml]\n  vars:\n${inline("play_secret", VALUES.play_secret, "    ")}  roles: [app]\n`,
  );
});

function kplay(args: string[], out: string): Promise<CliRun> {
  return runCli(["-i", s.path("inventory.ini"), "-e", `@${s.path("extra.yml")}`, "-e", `out=${out}`, ...args, s.path("playbook.yml")], "", "real");
}

function expectNothingSecret(...texts: string[]): void {
  for (const text of texts) {
    for (const value of [PASSWORD, ...Object.values(VALUES)]) expect(text.includes(value), `${value} was printed`).toBe(false);
  }
}

describe("a playbook run with vaulted variables on a local host", () => {
  it("decrypts every source with a password file; -vvv, --json and the log show no secret", async () => {
    const out = s.path("out-human.txt");
    const log = s.path("human.log");
    const run = await kplay(["--vault-password-file", passwordFile, "-vvv", "--log-file", log], out);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(EXPECTED_CONTENT);
    expect(run.stdout).toContain("write every secret");
    expectNothingSecret(run.stdout, run.stderr, readFileSync(log, "utf8"));

    const jsonOut = s.path("out-json.txt");
    const json = await kplay(["--vault-password-file", passwordFile, "--json", "-vvv"], jsonOut);
    expect(json.code).toBe(0);
    expect(readFileSync(jsonOut, "utf8")).toBe(EXPECTED_CONTENT);
    expect(json.stdout.split("\n").filter((l) => l.startsWith("{")).length).toBeGreaterThan(3);
    expectNothingSecret(json.stdout, json.stderr);
  });

  it("takes the password from an executable script, and from $ANSIBLE_VAULT_PASSWORD_FILE", async () => {
    const viaScript = s.path("out-script.txt");
    expect((await kplay(["--vault-id", `ops@${passwordScript}`], viaScript)).code).toBe(0);
    expect(readFileSync(viaScript, "utf8")).toBe(EXPECTED_CONTENT);
    const viaEnv = s.path("out-env.txt");
    process.env.ANSIBLE_VAULT_PASSWORD_FILE = passwordFile;
    try {
      expect((await kplay([], viaEnv)).code).toBe(0);
    } finally {
      delete process.env.ANSIBLE_VAULT_PASSWORD_FILE;
    }
    expect(readFileSync(viaEnv, "utf8")).toBe(EXPECTED_CONTENT);
  });

  it("asks with --ask-vault-pass after -k and -K, as ansible-playbook, all answers piped in at once", async () => {
    const out = s.path("out-prompt.txt");
    const args = ["-i", s.path("inventory.ini"), "-e", `@${s.path("extra.yml")}`, "-e", `out=${out}`, "--ask-vault-pass", "-k", "-K", s.path("playbook.yml")];
    const run = await runCli(args, `ssh-pw\nbecome-pw\n${PASSWORD}\n`, "real");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("SSH password: \nBECOME password[defaults to SSH password]: \nVault password: \n");
    expect(readFileSync(out, "utf8")).toBe(EXPECTED_CONTENT);
  });

  it("without a secret: exit 5 before anything runs, naming the files and the flag to pass", async () => {
    const out = s.path("out-none.txt");
    const run = await kplay([], out);
    expect(run.code).toBe(5);
    expect(run.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
    expect(run.stderr).toContain(`found vaulted data in ${s.path("group_vars/all.yml")}:1 but no vault secret was given; pass --vault-password-file or --ask-vault-pass`);
    expect(run.stderr).toContain(`found vaulted data in ${s.path("extra.yml")}:1`);
    // Inline values: the line of their vault header.
    expect(run.stderr).toContain(`found vaulted data in ${s.path("playbook.yml")}:6`);
    expect(run.stderr).toContain(`found vaulted data in ${s.path("host_vars/local.yml")}:3`);
  });

  it("finds a vaulted vars_files entry it cannot open before the play starts", async () => {
    const playbook = s.write("vars-files-only.yml", "- hosts: all\n  gather_facts: false\n  vars_files: [secrets/vars-file.yml]\n  tasks: [{debug: {msg: hi}}]\n");
    const run = await runCli(["-i", s.path("inventory.ini"), "--vault-password-file", s.write("other.txt", "other-pw\n"), playbook], "", "real");
    expect(run.code).toBe(5);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`decryption failed for ${s.path("secrets/vars-file.yml")}`);
  });

  it("with a wrong password: exit 5 before anything runs, and neither password is shown", async () => {
    const wrong = s.write("wrong.txt", "wrong-vault-pw-55\n");
    const out = s.path("out-wrong.txt");
    const run = await kplay(["--vault-id", `dev@${wrong}`], out);
    expect(run.code).toBe(5);
    expect(existsSync(out)).toBe(false);
    expect(run.stderr).toContain(`decryption failed for ${s.path("group_vars/all.yml")} (no vault secret matched; vault-id tried: dev)`);
    expectNothingSecret(run.stdout, run.stderr);
    expect(run.stderr).not.toContain("wrong-vault-pw-55");
  });

  it("with a damaged vault file: exit 5 naming its line", async () => {
    const lines = vaulted("x: 1\n").split("\n");
    lines[2] = `${lines[2].slice(0, 10)}not-hex${lines[2].slice(17)}`;
    const damaged = s.write("damaged-extra.yml", lines.join("\n"));
    const run = await runCli(["-i", s.path("inventory.ini"), "-e", `@${damaged}`, "--vault-password-file", passwordFile, "--syntax-check", s.path("playbook.yml")]);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`ERROR: ${damaged}:3:1: corrupt vault data in ${damaged} at line 3: this line of the vault data is not hexadecimal`);
  });
});

describe("a playbook run with a vaulted variable against a real SSH host", () => {
  let bed: TestHosts;
  beforeAll(async () => {
    bed = await startHosts(1, { light: true, names: "vault" });
  });
  afterAll(async () => {
    await bed?.stopAll();
  });

  it("writes the decrypted value on the host", async () => {
    const dir = scratch("kplay-vault-ssh-");
    const inventory = dir.write("inventory.ini", bed.inventoryIni());
    dir.write("group_vars/all/vault.yml", vaulted("registry_token: ssh-vault-token-j9\n"));
    const playbook = dir.write(
      "playbook.yml",
      "- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {dest: /tmp/registry-token, content: '{{ registry_token }}', mode: '0600'}\n      no_log: true\n",
    );
    const run = await runCli(["-i", inventory, "--vault-password-file", passwordFile, playbook], "", "real");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/changed=1/);
    expectNothingSecret(run.stdout, run.stderr);
    expect(run.stdout).not.toContain("ssh-vault-token-j9");
    expect((await bed.hosts[0].exec("cat /tmp/registry-token")).stdout).toBe("ssh-vault-token-j9");
  });
});
