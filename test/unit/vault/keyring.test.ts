// The vault format and VaultAES256 against data the real ansible-vault wrote (test/fixtures/vault),
// plus what Ansible's format allows and refuses: labels, several secrets, corrupt and tampered data.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decryptPayload, encryptPayload } from "../../../src/engine/vault/aes256.js";
import { formatEnvelope, parseEnvelope, VaultFormatError } from "../../../src/engine/vault/envelope.js";
import { encryptWith, VaultError, VaultKeyring, type VaultSecret } from "../../../src/engine/vault/keyring.js";
import { errorOf } from "../error-of.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/vault");
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), "utf8");

const secret = (id: string, password: string): VaultSecret => ({ id, password: Buffer.from(password) });
const DEFAULT = secret("default", "kplay-fixture-pw");
const PROD = secret("prod", "prod-fixture-pw");
const WRONG = secret("default", "not-the-password");

const vaultErrorOf = (fn: () => unknown): VaultError => errorOf(fn, VaultError);

describe("decrypting what ansible-vault wrote", () => {
  it("reads a 1.1 file", () => {
    const { plaintext, secret: used, label } = new VaultKeyring([DEFAULT]).decrypt(fixture("ansible-1.1.yml"));
    expect(plaintext.toString()).toBe("db_password: fixture-db-secret\nreplicas: 3\n");
    expect(used).toBe(DEFAULT);
    expect(label).toBeUndefined();
  });

  it("reads a 1.2 file and tells its label", () => {
    const { plaintext, label } = new VaultKeyring([PROD]).decrypt(fixture("ansible-1.2-prod.yml"));
    expect(plaintext.toString()).toBe("api_token: fixture-prod-token\n");
    expect(label).toBe("prod");
  });

  it("tries every secret, whatever its label, like Ansible (the label only orders them)", () => {
    const keyring = new VaultKeyring([WRONG, secret("other", "kplay-fixture-pw"), PROD]);
    expect(keyring.decrypt(fixture("ansible-1.1.yml")).secret.id).toBe("other");
    expect(keyring.decrypt(fixture("ansible-1.2-prod.yml")).secret).toBe(PROD);
  });

  it("says which vault-ids were tried when none matches, and never the password", () => {
    const error = vaultErrorOf(() => new VaultKeyring([WRONG, secret("prod", "nope")]).decrypt(fixture("ansible-1.1.yml")));
    expect(error.reason).toBe("no-match");
    expect(error.message).toBe("no vault secret matched; vault-id tried: default, prod");
    expect(error.message).not.toContain("not-the-password");
  });

  it("needs a secret", () => {
    expect(vaultErrorOf(() => new VaultKeyring().decrypt(fixture("ansible-1.1.yml"))).reason).toBe("no-secret");
  });
});

describe("encrypting", () => {
  it("round-trips through a new random salt each time", () => {
    const a = encryptWith(DEFAULT, Buffer.from("text\n"));
    const b = encryptWith(DEFAULT, Buffer.from("text\n"));
    expect(a).not.toBe(b);
    expect(new VaultKeyring([DEFAULT]).decrypt(a).plaintext.toString()).toBe("text\n");
  });

  it("is deterministic for a given salt (nothing but the salt is random)", () => {
    const salt = Buffer.alloc(32, 7);
    expect(encryptPayload(Buffer.from("x"), DEFAULT.password, salt)).toBe(encryptPayload(Buffer.from("x"), DEFAULT.password, salt));
  });

  it("writes 1.1 for the default vault-id and 1.2 with the label otherwise, in lines of 80", () => {
    const plain = encryptWith(DEFAULT, Buffer.alloc(200, 65));
    const labelled = encryptWith(PROD, Buffer.from("y"));
    expect(plain.split("\n")[0]).toBe("$ANSIBLE_VAULT;1.1;AES256");
    expect(labelled.split("\n")[0]).toBe("$ANSIBLE_VAULT;1.2;AES256;prod");
    const body = plain.split("\n").slice(1, -1);
    expect(body.slice(0, -1).every((line) => line.length === 80)).toBe(true);
    expect(plain.endsWith("\n")).toBe(true);
  });

  it("pads to whole AES blocks (PKCS7), also the empty text", () => {
    for (const size of [0, 1, 15, 16, 17]) {
      const payload = encryptPayload(Buffer.alloc(size, 1), DEFAULT.password);
      const ciphertextHex = Buffer.from(payload, "hex").toString("latin1").split("\n")[2];
      expect(ciphertextHex.length / 2).toBe((Math.floor(size / 16) + 1) * 16);
      expect(decryptPayload(payload, DEFAULT.password)).toEqual(Buffer.alloc(size, 1));
    }
  });

  it("refuses to guess between several secrets", () => {
    const keyring = new VaultKeyring([DEFAULT, PROD]);
    expect(vaultErrorOf(() => keyring.encryptionSecret()).message).toMatch(/default, prod are available.*--encrypt-vault-id/);
    expect(keyring.encryptionSecret("prod")).toBe(PROD);
    expect(vaultErrorOf(() => keyring.encryptionSecret("dev")).reason).toBe("encrypt-id");
  });
});

describe("damaged vault data", () => {
  const good = encryptWith(DEFAULT, Buffer.from("secret: 1\n"));
  const lines = good.split("\n");

  it("names the line that is not hexadecimal", () => {
    const bad = [...lines.slice(0, 3), "zz" + lines[3].slice(2), ...lines.slice(4)].join("\n");
    const error = vaultErrorOf(() => new VaultKeyring([DEFAULT]).decrypt(bad));
    expect(error).toMatchObject({ reason: "format", line: 4 });
  });

  it("refuses an unknown header or cipher on line 1", () => {
    expect(() => parseEnvelope("$ANSIBLE_VAULT;1.1\n00\n")).toThrow(VaultFormatError);
    expect(vaultErrorOf(() => new VaultKeyring([DEFAULT]).decrypt(good.replace("AES256", "AES")))).toMatchObject({ reason: "format", line: 1 });
  });

  it("refuses data cut in the middle of a byte, or a body without its three parts", () => {
    expect(vaultErrorOf(() => new VaultKeyring([DEFAULT]).decrypt(good.trimEnd().slice(0, -1)))).toMatchObject({ reason: "format" });
    const twoParts = formatEnvelope(Buffer.from("00\n00").toString("hex"));
    expect(vaultErrorOf(() => new VaultKeyring([DEFAULT]).decrypt(twoParts))).toMatchObject({ reason: "format", line: 2 });
  });

  it("treats a flipped ciphertext bit as a wrong password: the HMAC is checked before decrypting", () => {
    const payload = parseEnvelope(good).payload;
    const inner = Buffer.from(payload, "hex").toString("latin1");
    const last = inner.at(-1) === "0" ? "1" : "0";
    const tampered = Buffer.from(inner.slice(0, -1) + last, "latin1").toString("hex");
    expect(decryptPayload(tampered, DEFAULT.password)).toBeUndefined();
    expect(vaultErrorOf(() => new VaultKeyring([DEFAULT]).decrypt(formatEnvelope(tampered))).reason).toBe("no-match");
  });

  it("accepts Windows line ends and surrounding blanks, as Python's splitlines does", () => {
    expect(new VaultKeyring([DEFAULT]).decrypt(good.replace(/\n/g, "\r\n")).plaintext.toString()).toBe("secret: 1\n");
  });
});
