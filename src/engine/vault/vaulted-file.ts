// Whole-file vaulting: a YAML/JSON file that is itself vault text (`ansible-vault encrypt FILE`)
// is read as its plaintext, wherever Ansible's loader would read it.
import type { ErrorContext, ErrorKind } from "../errors.js";
import { isVaulted } from "./envelope.js";
import { VaultError } from "./keyring.js";
import { vaultSession } from "./session.js";
import { vaultErrorContext } from "./vault-errors.js";

/** The file's text to parse: unchanged when it is not vaulted, else its plaintext. */
export function readableText(text: string, file: string, kind: ErrorKind): { text: string; error?: undefined } | { error: ErrorContext } {
  if (!isVaulted(text)) return { text };
  try {
    return { text: vaultSession().keyring.decrypt(text).plaintext.toString("utf8") };
  } catch (e) {
    if (e instanceof VaultError) return { error: vaultErrorContext(e, file, 1, kind) };
    throw e;
  }
}
