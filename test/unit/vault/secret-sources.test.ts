// Where vault passwords come from: files (stripped as Ansible strips them), executable scripts
// (their stdout), `*-client` scripts (asked for one vault-id), prompts, and the order of all of them.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KplayError } from "../../../src/engine/errors.js";
import { loadVaultSecrets, type AskSecret, type VaultSecretRequest } from "../../../src/engine/vault/secret-sources.js";

const dir = mkdtempSync(join(tmpdir(), "kplay-vault-secrets-"));

function file(name: string, content: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

const none: VaultSecretRequest = { vaultIds: [], passwordFiles: [], askVaultPass: false };
const noPrompt: AskSecret = () => Promise.reject(new Error("nothing should be asked"));

/** Answers prompts in order and records the questions. */
function answers(...replies: string[]): { ask: AskSecret; questions: string[] } {
  const questions: string[] = [];
  return {
    questions,
    ask: (question) => {
      questions.push(question);
      const reply = replies.shift();
      return reply === undefined ? Promise.reject(new Error("input ended")) : Promise.resolve(reply);
    },
  };
}

async function secretsOf(request: Partial<VaultSecretRequest>, ask: AskSecret = noPrompt): Promise<Array<[string, string]>> {
  const keyring = await loadVaultSecrets({ ...none, ...request }, ask);
  return keyring.secrets.map((s) => [s.id, s.password.toString()]);
}

async function failureOf(request: Partial<VaultSecretRequest>, ask: AskSecret = noPrompt): Promise<string> {
  try {
    await loadVaultSecrets({ ...none, ...request }, ask);
  } catch (e) {
    expect(e).toBeInstanceOf(KplayError);
    return (e as KplayError).message;
  }
  throw new Error("expected loadVaultSecrets to fail");
}

describe("vault password files", () => {
  it("strip surrounding whitespace as Python's bytes.strip(), keeping inner spaces", async () => {
    const path = file("pw", "  pass word \r\n\n");
    expect(await secretsOf({ passwordFiles: [path] })).toEqual([["default", "pass word"]]);
  });

  it("refuse a missing or empty file", async () => {
    expect(await failureOf({ passwordFiles: [join(dir, "absent")] })).toMatch(/vault password file .*absent was not found/);
    expect(await failureOf({ passwordFiles: [file("empty", " \n")] })).toMatch(/is empty/);
  });
});

describe("vault password scripts", () => {
  it("run an executable file and use its stdout without the line end", async () => {
    const script = file("pw.sh", "#!/bin/sh\nprintf ' from-script \\n'\n", 0o700);
    expect(await secretsOf({ passwordFiles: [script] })).toEqual([["default", " from-script "]]);
  });

  it("pass --vault-id LABEL to a script named *-client", async () => {
    const client = file("vault-client.sh", '#!/bin/sh\n[ "$1" = --vault-id ] || exit 9\necho "secret-for-$2"\n', 0o700);
    expect(await secretsOf({ vaultIds: [`prod@${client}`] })).toEqual([["prod", "secret-for-prod"]]);
  });

  it("report a failing script by its exit code, not its output", async () => {
    const failing = file("fail.sh", "#!/bin/sh\necho leaked-output\nexit 3\n", 0o700);
    const message = await failureOf({ passwordFiles: [failing] });
    expect(message).toMatch(/fail\.sh failed \(exit code 3\)/);
    expect(message).not.toContain("leaked-output");
  });
});

describe("prompts and order", () => {
  it("puts --vault-id first, then password files (ansible.cfg's last), then --ask-vault-pass", async () => {
    const a = file("a", "pa\n");
    const b = file("b", "pb\n");
    const env = file("env", "penv\n");
    const { ask, questions } = answers(" typed ");
    const secrets = await secretsOf({ vaultIds: [`dev@${a}`], passwordFiles: [b, env], askVaultPass: true }, ask);
    expect(secrets).toEqual([
      ["dev", "pa"],
      ["default", "pb"],
      ["default", "penv"],
      ["default", "typed"],
    ]);
    expect(questions).toEqual(["Vault password: "]);
  });

  it("asks LABEL@prompt by its label, and asks a new password twice", async () => {
    const asked = answers("one", "one");
    expect(await secretsOf({ vaultIds: ["prod@prompt"], newPassword: true }, asked.ask)).toEqual([["prod", "one"]]);
    expect(asked.questions).toEqual(["New vault password (prod): ", "Confirm new vault password (prod): "]);
    expect(await failureOf({ askVaultPass: true, newPassword: true }, answers("one", "two").ask)).toBe("the vault passwords do not match");
  });

  it("asks only when told to, or when nothing was given and the command wants a password", async () => {
    expect(await secretsOf({})).toEqual([]);
    expect(await secretsOf({ promptWhenNone: true }, answers("p").ask)).toEqual([["default", "p"]]);
  });

  it("refuses a vault-id with ';' (it would break the 1.2 header) and an empty password", async () => {
    expect(await failureOf({ vaultIds: ["a;b@prompt"] })).toMatch(/';' is not allowed/);
    expect(await failureOf({ askVaultPass: true }, answers("  ").ask)).toMatch(/empty vault password/);
  });
});
