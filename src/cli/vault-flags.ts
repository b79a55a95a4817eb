// `--vault-id`, `--vault-password-file` and `--ask-vault-pass`, on every kplay command that reads
// files. Only the flags: open-vault.ts reads the secrets when a command runs.
import type { Command } from "commander";

/** The flags as commander hands them over. */
export interface VaultFlags {
  vaultId: string[];
  vaultPasswordFile: string[];
  askVaultPass?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addVaultOptions(command: Command): Command {
  return command
    .option("--vault-id <id>", "vault secret LABEL@SOURCE: a password file, a script, or `prompt` (repeatable)", collect, [])
    .option("--vault-password-file <file>", "vault password file, or a script that prints it (repeatable)", collect, [])
    .option("-J, --ask-vault-pass", "ask for the vault password");
}
