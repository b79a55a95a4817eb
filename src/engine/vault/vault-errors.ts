// A VaultError as the operator sees it: where the vaulted data is and what to do. Never the
// password, never the plaintext.
import type { ErrorContext, ErrorKind } from "../errors.js";
import type { VaultError } from "./keyring.js";

/**
 * @param firstLine the line of the file where the vault text starts (its header)
 */
export function vaultErrorContext(error: VaultError, file: string, firstLine: number, kind: ErrorKind): ErrorContext {
  const where = { file, line: firstLine, column: 1 };
  switch (error.reason) {
    case "no-secret":
      return {
        kind,
        message: `found vaulted data in ${file}:${firstLine} but no vault secret was given; pass --vault-password-file or --ask-vault-pass`,
        position: where,
        hint: "or --vault-id LABEL@FILE, or set ANSIBLE_VAULT_PASSWORD_FILE",
      };
    case "no-match":
      return {
        kind,
        message: `decryption failed for ${file} (${error.message})`,
        position: where,
        hint: "give the vault password this data was encrypted with (several --vault-id may be given)",
      };
    default: {
      const line = firstLine + (error.line ?? 1) - 1;
      return {
        kind,
        message: `corrupt vault data in ${file} at line ${line}: ${error.message}`,
        position: { file, line, column: 1 },
        hint: "restore the file from version control, or encrypt the plaintext again",
      };
    }
  }
}
