// Ansible Vault's only cipher, VaultAES256, byte for byte: PBKDF2-HMAC-SHA256 (10000 rounds) turns
// the password and a 32-byte salt into an AES-256-CTR key, an HMAC-SHA256 key and the initial
// counter; the plaintext is PKCS7-padded (although CTR needs no padding: the format requires it);
// the payload is hex(hex(salt) "\n" hex(hmac) "\n" hex(ciphertext)).
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

const ITERATIONS = 10_000;
const KEY_LENGTH = 32;
const BLOCK = 16;
const SALT_LENGTH = 32;

/** The payload does not hold what VaultAES256 writes. The message never quotes the data. */
export class VaultPayloadError extends Error {}

interface Keys {
  cipherKey: Buffer;
  hmacKey: Buffer;
  counter: Buffer;
}

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const derived = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_LENGTH + BLOCK, "sha256");
  return {
    cipherKey: derived.subarray(0, KEY_LENGTH),
    hmacKey: derived.subarray(KEY_LENGTH, 2 * KEY_LENGTH),
    counter: derived.subarray(2 * KEY_LENGTH),
  };
}

function pkcs7Pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function pkcs7Unpad(data: Buffer): Buffer {
  const n = data.length > 0 ? data[data.length - 1] : 0;
  const valid = n >= 1 && n <= BLOCK && n <= data.length && data.subarray(data.length - n).every((b) => b === n);
  if (!valid) throw new VaultPayloadError("the decrypted data has invalid padding");
  return data.subarray(0, data.length - n);
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function unhex(text: string, what: string): Buffer {
  if (!HEX.test(text)) throw new VaultPayloadError(`the ${what} is not hexadecimal`);
  return Buffer.from(text, "hex");
}

/** Encrypts with a fresh random salt unless one is given (tests pin it to compare with Ansible). */
export function encryptPayload(plaintext: Buffer, password: Buffer, salt: Buffer = randomBytes(SALT_LENGTH)): string {
  const { cipherKey, hmacKey, counter } = deriveKeys(password, salt);
  const cipher = createCipheriv("aes-256-ctr", cipherKey, counter);
  const ciphertext = Buffer.concat([cipher.update(pkcs7Pad(plaintext)), cipher.final()]);
  const hmac = createHmac("sha256", hmacKey).update(ciphertext).digest();
  const inner = [salt, hmac, ciphertext].map((b) => b.toString("hex")).join("\n");
  return Buffer.from(inner, "ascii").toString("hex");
}

/**
 * The plaintext, or undefined when `password` is not the one the payload was made with (its HMAC,
 * checked in constant time before anything is decrypted, does not match).
 */
export function decryptPayload(payload: string, password: Buffer): Buffer | undefined {
  const parts = unhex(payload, "vault body").toString("latin1").split("\n");
  if (parts.length !== 3) throw new VaultPayloadError("the vault body does not hold a salt, an HMAC and a ciphertext");
  const [salt, expected, ciphertext] = [unhex(parts[0], "salt"), unhex(parts[1], "HMAC"), unhex(parts[2], "ciphertext")];
  const { cipherKey, hmacKey, counter } = deriveKeys(password, salt);
  const actual = createHmac("sha256", hmacKey).update(ciphertext).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  const decipher = createDecipheriv("aes-256-ctr", cipherKey, counter);
  return pkcs7Unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
}
