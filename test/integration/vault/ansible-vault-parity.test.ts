// `kplay vault` against the real ansible-vault, both ways: what one encrypts the other decrypts,
// with 1.1 and labelled 1.2 data, several secrets, rekey, edit/create through $EDITOR.
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../unit/cli/run-cli.js";
import { ansible, scratch, type Scratch } from "./vault-helpers.js";

const PLAIN = "db_password: parity-secret-1\nreplicas: 3\n";

let s: Scratch;
let pw: string;
let prodPw: string;
beforeEach(() => {
  s = scratch();
  pw = s.write("pw.txt", "parity-pw\n");
  prodPw = s.write("prod.txt", "prod-pw\n");
});

const kplayVault = (args: string[], input = "") => runCli(["vault", ...args], input);

describe("kplay encrypts, ansible-vault decrypts", () => {
  it("a 1.1 file in place, keeping the file's mode", async () => {
    const file = s.write("vars.yml", PLAIN, 0o640);
    const run = await kplayVault(["encrypt", "--vault-password-file", pw, file]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(file, "utf8")).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(await ansible("ansible-vault", ["view", "--vault-password-file", pw, file], s.dir)).toMatchObject({ code: 0, stdout: PLAIN });
    expect(await ansible("ansible-vault", ["decrypt", "--vault-password-file", pw, "--output", "-", file], s.dir)).toMatchObject({ stdout: PLAIN });
  });

  it("a labelled 1.2 file chosen with --encrypt-vault-id among several secrets", async () => {
    const file = s.write("prod.yml", PLAIN);
    const ids = ["--vault-id", `dev@${pw}`, "--vault-id", `prod@${prodPw}`];
    const refused = await kplayVault(["encrypt", ...ids, file]);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/vault-ids dev, prod are available to encrypt: choose one with --encrypt-vault-id/);
    expect(readFileSync(file, "utf8")).toBe(PLAIN);

    expect((await kplayVault(["encrypt", ...ids, "--encrypt-vault-id", "prod", file])).code).toBe(0);
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("$ANSIBLE_VAULT;1.2;AES256;prod");
    expect((await ansible("ansible-vault", ["view", "--vault-id", `prod@${prodPw}`, file], s.dir)).stdout).toBe(PLAIN);
  });

  it("strings with encrypt_string, from arguments and stdin, that ansible-playbook reads", async () => {
    const args = await kplayVault(["encrypt_string", "--vault-password-file", pw, "--name", "from_arg", "arg secret"]);
    const stdin = await kplayVault(["encrypt_string", "--vault-password-file", pw, "--stdin-name", "from_stdin"], "stdin secret");
    expect(args.stdout).toMatch(/^from_arg: !vault \|\n {10}\$ANSIBLE_VAULT;1\.1;AES256\n/);
    const vars = s.write("strings.yml", args.stdout + stdin.stdout);
    const play = s.write("show.yml", "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg='{{ from_arg }}|{{ from_stdin }}'\n");
    const run = await ansible("ansible-playbook", ["-i", "localhost,", "-c", "local", "-e", `@${vars}`, "--vault-password-file", pw, play], s.dir);
    expect(run.stdout).toContain('"msg": "arg secret|stdin secret"');
  });

  it("a string asked at the prompt (-p) with its variable name, beside a named argument", async () => {
    // As in ansible-vault, -p needs a string argument too (without one it would read stdin).
    const run = await kplayVault(["encrypt_string", "--vault-password-file", pw, "-p", "--name", "from_arg", "arg value"], "prompted_name\nprompted secret\n");
    expect(run.stderr).toBe("Variable name (enter for no name): \nString to encrypt (hidden): \n");
    expect(run.stdout).toMatch(/^prompted_name: !vault \|\n[^]*\nfrom_arg: !vault \|\n/);
    const vars = s.write("prompted.yml", run.stdout);
    const play = s.write("show.yml", "- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug: msg='{{ prompted_name }}|{{ from_arg }}'\n");
    const shown = await ansible("ansible-playbook", ["-i", "localhost,", "-c", "local", "-e", `@${vars}`, "--vault-password-file", pw, play], s.dir);
    expect(shown.stdout).toContain('"msg": "prompted secret|arg value"');
  });

  it("from stdin to stdout", async () => {
    const run = await kplayVault(["encrypt", "--vault-password-file", pw, "--output", "-"], PLAIN);
    const file = s.write("piped.yml", run.stdout);
    expect((await ansible("ansible-vault", ["view", "--vault-password-file", pw, file], s.dir)).stdout).toBe(PLAIN);
  });
});

describe("ansible-vault encrypts, kplay decrypts", () => {
  it("view, decrypt in place and decrypt --output", async () => {
    const file = s.write("vars.yml", PLAIN, 0o600);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, file], s.dir);
    expect(await kplayVault(["view", "--vault-password-file", pw, file])).toMatchObject({ code: 0, stdout: PLAIN });
    const out = s.path("out.yml");
    expect((await kplayVault(["decrypt", "--vault-password-file", pw, "--output", out, file])).code).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(PLAIN);
    expect((await kplayVault(["decrypt", "--vault-password-file", pw, file])).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(PLAIN);
  });

  it("1.2 data with several secrets: the labelled one is found, whichever order they come in", async () => {
    const dev = s.write("dev.yml", "env: dev\n");
    const prod = s.write("prod.yml", "env: prod\n");
    await ansible("ansible-vault", ["encrypt", "--vault-id", `dev@${pw}`, dev], s.dir);
    await ansible("ansible-vault", ["encrypt", "--vault-id", `prod@${prodPw}`, prod], s.dir);
    const run = await kplayVault(["view", "--vault-id", `prod@${prodPw}`, "--vault-id", `dev@${pw}`, dev, prod]);
    expect(run).toMatchObject({ code: 0, stdout: "env: dev\nenv: prod\n" });
  });

  it("an encrypt_string value, through kplay inventory --host", async () => {
    const value = await ansible("ansible-vault", ["encrypt_string", "--vault-password-file", pw, "--name", "token", "from-ansible"], s.dir);
    const inventory = s.write("inv.yml", `all:\n  hosts:\n    h1:\n  vars:\n    ${value.stdout.replace(/\n/g, "\n    ")}\n`);
    const play = s.write("play.yml", "- hosts: h1\n  gather_facts: false\n  tasks:\n    - debug: var=token\n");
    const run = await runCli(["-i", inventory, play, "--vault-password-file", pw, "--list-hosts"]);
    expect(run.code).toBe(0);
    const shown = await runCli(["inventory", "-i", inventory, "--host", "h1", "--vault-password-file", pw]);
    expect(JSON.parse(shown.stdout).token.__ansible_vault).toMatch(/^\$ANSIBLE_VAULT;1\.1;AES256\n/);
  });

  it("refuses a wrong password without touching the file, and names what was tried", async () => {
    const file = s.write("vars.yml", PLAIN);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, file], s.dir);
    const before = readFileSync(file, "utf8");
    const run = await kplayVault(["decrypt", "--vault-id", `dev@${prodPw}`, file]);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain(`decryption failed for ${file} (no vault secret matched; vault-id tried: dev)`);
    expect(run.stderr).not.toContain("prod-pw");
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});

describe("several files at once", () => {
  it("changes none of them when one cannot be converted", async () => {
    const good = s.write("good.yml", PLAIN);
    const other = s.write("other.yml", "other: 1\n");
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, good], s.dir);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", prodPw, other], s.dir);
    const [goodBefore, otherBefore] = [readFileSync(good, "utf8"), readFileSync(other, "utf8")];
    const decrypt = await kplayVault(["decrypt", "--vault-password-file", pw, good, other]);
    expect(decrypt.code).toBe(5);
    expect(decrypt.stderr).toContain(`decryption failed for ${other}`);
    const plain = s.write("plain.yml", PLAIN);
    const encrypt = await kplayVault(["encrypt", "--vault-password-file", pw, plain, good]);
    expect(encrypt.stderr).toContain(`${good} is already vault-encrypted`);
    expect([readFileSync(good, "utf8"), readFileSync(other, "utf8"), readFileSync(plain, "utf8")]).toEqual([goodBefore, otherBefore, PLAIN]);
  });
});

describe("rekey", () => {
  it("re-encrypts with the new password and label, keeping the mode; ansible-vault agrees", async () => {
    const file = s.write("vars.yml", PLAIN);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, file], s.dir);
    // ansible-vault leaves its files 0600; kplay keeps whatever mode the file has.
    chmodSync(file, 0o640);
    const run = await kplayVault(["rekey", "--vault-password-file", pw, "--new-vault-id", `prod@${prodPw}`, file]);
    expect(run).toMatchObject({ code: 0, stderr: "Rekey successful\n" });
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("$ANSIBLE_VAULT;1.2;AES256;prod");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect((await ansible("ansible-vault", ["view", "--vault-id", `prod@${prodPw}`, file], s.dir)).stdout).toBe(PLAIN);
    expect((await ansible("ansible-vault", ["view", "--vault-password-file", pw, file], s.dir)).code).not.toBe(0);
  });

  it("asks old and new passwords on one terminal reader", async () => {
    const file = s.write("vars.yml", PLAIN);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, file], s.dir);
    const run = await kplayVault(["rekey", "--ask-vault-pass", file], "parity-pw\nnewer\nnewer\n");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("Vault password: \nNew Vault password: \nConfirm New Vault password: \n");
    const newer = s.write("newer.txt", "newer\n");
    expect((await ansible("ansible-vault", ["view", "--vault-password-file", newer, file], s.dir)).stdout).toBe(PLAIN);
  });
});

describe("edit and create through $EDITOR", () => {
  const savedEditor = process.env.EDITOR;
  afterEach(() => {
    if (savedEditor === undefined) delete process.env.EDITOR;
    else process.env.EDITOR = savedEditor;
  });

  /** An editor that records where and how it was asked to edit, then appends a line. */
  function recordingEditor(append: string | undefined): string {
    const log = s.path("editor.log");
    const change = append === undefined ? "" : `printf '%s\\n' '${append}' >> "$1"\n`;
    return s.write("editor.sh", `#!/bin/sh\necho "$1 $(stat -c %a "$1") $(stat -c %a "$(dirname "$1")")" > '${log}'\n${change}`, 0o755);
  }
  const editorLog = (): { file: string; fileMode: string; dirMode: string } => {
    const [file, fileMode, dirMode] = readFileSync(s.path("editor.log"), "utf8").trim().split(" ");
    return { file, fileMode, dirMode };
  };

  it("edit: the plaintext is in a private 0600 file that is gone afterwards; the result is re-encrypted", async () => {
    const file = s.write("vars.yml", PLAIN);
    await ansible("ansible-vault", ["encrypt", "--vault-id", `prod@${prodPw}`, file], s.dir);
    chmodSync(file, 0o640);
    process.env.EDITOR = recordingEditor("added: yes");
    expect((await kplayVault(["edit", "--vault-id", `prod@${prodPw}`, file])).code).toBe(0);
    const seen = editorLog();
    expect(seen).toMatchObject({ fileMode: "600", dirMode: "700" });
    expect(seen.file.endsWith(".yml")).toBe(true);
    expect(existsSync(seen.file)).toBe(false);
    expect(readFileSync(file, "utf8").split("\n")[0]).toBe("$ANSIBLE_VAULT;1.2;AES256;prod");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect((await ansible("ansible-vault", ["view", "--vault-id", `prod@${prodPw}`, file], s.dir)).stdout).toBe(`${PLAIN}added: yes\n`);
  });

  it("edit without a change leaves the file as it was (same salt, same bytes)", async () => {
    const file = s.write("vars.yml", PLAIN);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, file], s.dir);
    const before = readFileSync(file, "utf8");
    process.env.EDITOR = recordingEditor(undefined);
    expect((await kplayVault(["edit", "--vault-password-file", pw, file])).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("an editor that fails saves nothing and still removes the plaintext", async () => {
    const file = s.write("vars.yml", PLAIN);
    await ansible("ansible-vault", ["encrypt", "--vault-password-file", pw, file], s.dir);
    const before = readFileSync(file, "utf8");
    process.env.EDITOR = `sh -c 'echo "$1" > ${s.path("failing.log")}; exit 4' editor`;
    const run = await kplayVault(["edit", "--vault-password-file", pw, file]);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/exited with code 4: nothing was saved/);
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(existsSync(readFileSync(s.path("failing.log"), "utf8").trim())).toBe(false);
  });

  it("create: a new 0600 vault file from what the editor saved", async () => {
    const file = s.path("new/secrets.yml");
    process.env.EDITOR = recordingEditor("created: true");
    const run = await kplayVault(["create", "--vault-password-file", pw, file]);
    expect(run.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await ansible("ansible-vault", ["view", "--vault-password-file", pw, file], s.dir)).stdout).toBe("created: true\n");
    expect((await kplayVault(["create", "--vault-password-file", pw, file])).stderr).toMatch(/exists already/);
  });
});
