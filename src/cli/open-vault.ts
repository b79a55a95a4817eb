// Turns the vault flags into the command's vault secrets before any file is read.
import { isKplayError, type ErrorContext } from "../engine/errors.js";
import { loadVaultSecrets, type VaultSecretRequest } from "../engine/vault/secret-sources.js";
import { startVaultSession, type InlineVaultMode } from "../engine/vault/session.js";
import type { CliIO } from "./io.js";
import { SecretPrompt } from "./prompt.js";
import type { VaultFlags } from "./vault-flags.js";

export function vaultSecretRequest(flags: VaultFlags, extra: Partial<VaultSecretRequest> = {}): VaultSecretRequest {
  return {
    vaultIds: flags.vaultId,
    passwordFiles: flags.vaultPasswordFile,
    askVaultPass: flags.askVaultPass === true,
    ...extra,
  };
}

/** One terminal reader for every question of a command, opened only when the first is asked. */
export class TerminalQuestions {
  private prompt?: SecretPrompt;
  constructor(private readonly io: CliIO) {}
  readonly ask = (question: string): Promise<string> => (this.prompt ??= new SecretPrompt(this.io.stdin, this.io.stderr)).ask(question);
  done(): void {
    this.prompt?.done();
  }
}

/** The error a failed secret source or prompt becomes. */
export function vaultFlagError(e: unknown): ErrorContext {
  if (isKplayError(e)) return e.context;
  // A prompt whose input ended (piped stdin, ctrl-d).
  if (e instanceof Error) return { kind: "usage", message: e.message };
  throw e;
}

/** Starts this command's vault session from its flags; the errors to print (exit 5) if it cannot. */
export async function openVault(flags: VaultFlags, questions: TerminalQuestions, inline: InlineVaultMode = "decrypt"): Promise<ErrorContext[]> {
  try {
    startVaultSession(await loadVaultSecrets(vaultSecretRequest(flags), questions.ask), inline);
    return [];
  } catch (e) {
    return [vaultFlagError(e)];
  }
}
