// The vault secrets of the running kplay command. Ansible's DataLoader holds them the same way:
// the command line sets them once, before any file is read, and every reader that meets vaulted
// data (inventory, playbooks, roles, -e @file, vars_files, include_vars) decrypts with them.
import { VaultKeyring } from "./keyring.js";

/**
 * What an inline `!vault` value becomes: its plaintext ("decrypt", for runs), or a VaultedString
 * that prints as `{"__ansible_vault": ...}` ("keep", for `kplay inventory`, as ansible-inventory).
 */
export type InlineVaultMode = "decrypt" | "keep";

export interface VaultSession {
  keyring: VaultKeyring;
  inline: InlineVaultMode;
}

let session: VaultSession = { keyring: new VaultKeyring(), inline: "decrypt" };

/** Replaces the secrets for everything read from now on (each command starts its own session). */
export function startVaultSession(keyring: VaultKeyring, inline: InlineVaultMode = "decrypt"): void {
  session = { keyring, inline };
}

export function vaultSession(): VaultSession {
  return session;
}
