// Inline vaulting: a `!vault |` scalar in any YAML file. The YAML tag keeps the vault text as a
// VaultedString; once the file is parsed, its plaintext replaces it (or, for `kplay inventory`,
// the VaultedString stays and prints as ansible-inventory prints it).
import { Scalar, visit, type Document, type ScalarTag } from "yaml";
import type { ErrorContext, ErrorKind } from "../errors.js";
import { VaultError } from "./keyring.js";
import { vaultSession } from "./session.js";
import { vaultErrorContext } from "./vault-errors.js";

/** Vault text of an inline value; its one enumerable field is what ansible-inventory --list shows. */
export class VaultedString {
  readonly __ansible_vault: string;
  constructor(vaultText: string) {
    this.__ansible_vault = vaultText;
  }
}

export const VAULT_TAG: ScalarTag = { tag: "!vault", resolve: (text: string) => new VaultedString(text) };

/**
 * Replaces every `!vault` value of a parsed document by its plaintext (unless the session keeps
 * them). `lineOf` maps an offset in the file to its 1-based line.
 */
export function decryptInlineVaults(doc: Document, file: string, lineOf: (offset: number) => number, kind: ErrorKind): ErrorContext[] {
  const { keyring, inline } = vaultSession();
  if (inline === "keep") return [];
  const errors: ErrorContext[] = [];
  visit(doc, {
    Scalar(_key, node: Scalar) {
      if (!(node.value instanceof VaultedString)) return;
      // A block scalar's text starts on the line after its `|`.
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      const firstLine = lineOf(node.range?.[0] ?? 0) + (block ? 1 : 0);
      try {
        node.value = keyring.decrypt(node.value.__ansible_vault).plaintext.toString("utf8");
      } catch (e) {
        if (!(e instanceof VaultError)) throw e;
        errors.push(vaultErrorContext(e, file, firstLine, kind));
        // Without any secret every other value would fail the same way: the first one says it.
        if (e.reason === "no-secret") return visit.BREAK;
      }
    },
  });
  return errors;
}
