// `kplay vault ACTION [FILE...]`: ansible-vault's actions and flags. Only the flags: the work is
// in vault-actions.ts, loaded when the command runs.
import type { Command } from "commander";
import { printErrors, type CliIO } from "./io.js";
import type { VaultCommandFlags } from "./vault-actions.js";
import { addVaultOptions } from "./vault-flags.js";

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function addVaultCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  const command = program
    .command("vault")
    .description("encrypt and decrypt Ansible Vault files, as ansible-vault does")
    .argument("<action>", "encrypt | decrypt | view | edit | create | encrypt_string | rekey")
    .argument("[files...]", "files to work on (`-` or none: stdin), or the strings for encrypt_string")
    .option("--output <file>", "encrypt/decrypt/encrypt_string: write here instead (`-` for stdout)")
    .option("--encrypt-vault-id <id>", "the vault-id whose secret encrypts (needed when several are given)")
    .option("--new-vault-password-file <file>", "rekey: the new password file")
    .option("--new-vault-id <id>", "rekey: the new vault-id, LABEL@SOURCE")
    .option("-n, --name <name>", "encrypt_string: the variable name of each string (repeatable)", collect, [])
    .option("--stdin-name <name>", "encrypt_string: the variable name of the string read from stdin")
    .option("-p, --prompt", "encrypt_string: ask for the string to encrypt");
  addVaultOptions(command).action(async (action: string, files: string[], flags: VaultCommandFlags) => {
    const [{ vaultCommand }, { readAnsibleSettings, withVaultSettings }] = await Promise.all([import("./vault-actions.js"), import("./ansible-settings.js")]);
    // ansible.cfg's vault_password_file and vault_identity_list count, as for ansible-vault.
    const { settings, errors } = readAnsibleSettings(io);
    if (!settings) return setExit(printErrors(errors, io));
    setExit(await vaultCommand(action, files, withVaultSettings(flags, settings), io));
  });
}
