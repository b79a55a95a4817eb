// The vault secrets of one command, and decryption as Ansible's VaultLib does it: the secrets
// whose vault-id matches the label in the data first, then every other one, until an HMAC matches.
import { decryptPayload, encryptPayload, VaultPayloadError } from "./aes256.js";
import { DEFAULT_VAULT_ID, formatEnvelope, parseEnvelope, VaultFormatError, type VaultEnvelope } from "./envelope.js";

export interface VaultSecret {
  /** The vault-id label (`default` when none was given). */
  id: string;
  password: Buffer;
}

export type VaultErrorReason = "no-secret" | "no-match" | "format" | "encrypt-id";

/** Why vaulted data could not be read or written. The message never holds a password or plaintext. */
export class VaultError extends Error {
  constructor(
    readonly reason: VaultErrorReason,
    message: string,
    /** For "format": the line of the vault text (header = 1) that is wrong. */
    readonly line?: number,
  ) {
    super(message);
  }
}

export interface Decrypted {
  plaintext: Buffer;
  /** The secret that worked (`edit` encrypts again with it). */
  secret: VaultSecret;
  /** The label the data carries (1.2 header), kept when it is written back. */
  label?: string;
}

export class VaultKeyring {
  constructor(readonly secrets: readonly VaultSecret[] = []) {}

  get ids(): string[] {
    return this.secrets.map((s) => s.id);
  }

  decrypt(vaultText: string): Decrypted {
    let envelope: VaultEnvelope;
    try {
      envelope = parseEnvelope(vaultText);
    } catch (e) {
      if (e instanceof VaultFormatError) throw new VaultError("format", e.message, e.line);
      throw e;
    }
    if (this.secrets.length === 0) throw new VaultError("no-secret", "no vault secret was given");
    const label = envelope.label ?? DEFAULT_VAULT_ID;
    const ordered = [...this.secrets.filter((s) => s.id === label), ...this.secrets.filter((s) => s.id !== label)];
    for (const secret of ordered) {
      let plaintext: Buffer | undefined;
      try {
        plaintext = decryptPayload(envelope.payload, secret.password);
      } catch (e) {
        // The payload's own structure is broken: every secret would fail the same way.
        if (e instanceof VaultPayloadError) throw new VaultError("format", e.message, 2);
        throw e;
      }
      if (plaintext) return { plaintext, secret, ...(envelope.label ? { label: envelope.label } : {}) };
    }
    throw new VaultError("no-match", `no vault secret matched; vault-id tried: ${[...new Set(ordered.map((s) => s.id))].join(", ")}`);
  }

  /**
   * The secret to encrypt with: the one labelled `encryptId`, or the only one there is (as
   * ansible-vault, which refuses to guess between several).
   */
  encryptionSecret(encryptId?: string): VaultSecret {
    if (encryptId !== undefined) {
      const found = this.secrets.find((s) => s.id === encryptId);
      if (!found) throw new VaultError("encrypt-id", `no vault secret has the vault-id "${encryptId}" (known: ${this.ids.join(", ") || "none"})`);
      return found;
    }
    if (this.secrets.length === 0) throw new VaultError("no-secret", "no vault secret was given");
    if (this.secrets.length > 1) {
      throw new VaultError("encrypt-id", `the vault-ids ${this.ids.join(", ")} are available to encrypt: choose one with --encrypt-vault-id`);
    }
    return this.secrets[0];
  }
}

/** Vault text for `plaintext`, labelled with the secret's vault-id unless it is `default`. */
export function encryptWith(secret: VaultSecret, plaintext: Buffer, label: string = secret.id): string {
  return formatEnvelope(encryptPayload(plaintext, secret.password), label);
}
