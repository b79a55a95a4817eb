// A YAML file kept with its syntax tree, so any value found later can be traced back to
// file:line:column. Parsed as YAML 1.1 because Ansible's loader is (yes/no are booleans, `<<` merges).
import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { ErrorContext, SourcePosition } from "../errors.js";
import { readableText } from "../vault/vaulted-file.js";
import { decryptInlineVaults, VAULT_TAG } from "../vault/vaulted-yaml.js";

export type ValuePath = ReadonlyArray<string | number>;

export class SourceFile {
  private constructor(
    readonly path: string,
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
    /** The file's content as plain JavaScript values. */
    readonly value: unknown,
  ) {}

  /** Reads and parses a file; every YAML error is returned, each with its position. */
  static read(path: string, kind: ErrorContext["kind"] = "playbook"): { file?: SourceFile; errors: ErrorContext[] } {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(e as Error).message})`;
      return { errors: [{ kind, message: `file ${path} ${reason}` }] };
    }
    return SourceFile.parse(path, text, kind);
  }

  /** A vault-encrypted file and `!vault` values are decrypted with the session's vault secrets. */
  static parse(path: string, fileText: string, kind: ErrorContext["kind"] = "playbook"): { file?: SourceFile; errors: ErrorContext[] } {
    const readable = readableText(fileText, path, kind);
    if (readable.error) return { errors: [readable.error] };
    const lines = new LineCounter();
    const doc = parseDocument(readable.text, { lineCounter: lines, version: "1.1", prettyErrors: false, customTags: [VAULT_TAG] });
    // Only the first syntax error: the ones after it are usually its echoes.
    const [first] = doc.errors;
    if (first) {
      const pos = lines.linePos(first.pos[0]);
      const message = `invalid YAML: ${first.message.split("\n")[0]}`;
      return { errors: [{ kind, message, position: { file: path, line: pos.line, column: pos.col } }] };
    }
    const vaultErrors = decryptInlineVaults(doc, path, (offset) => lines.linePos(offset).line, kind);
    if (vaultErrors.length > 0) return { errors: vaultErrors };
    return { file: new SourceFile(path, doc, lines, doc.toJS({ maxAliasCount: 1000 })), errors: [] };
  }

  /** Position of the value at `path`, or of its nearest ancestor that exists in the file. */
  position(path: ValuePath): SourcePosition {
    for (let n = path.length; n >= 0; n--) {
      const node = this.doc.getIn(path.slice(0, n), true) as Node | undefined;
      if (node && typeof node === "object" && node.range) return this.at(node.range[0]);
    }
    return { file: this.path, line: 1, column: 1 };
  }

  /** Position of the key `key` in the mapping at `path` (where an unknown keyword is reported). */
  keyPosition(path: ValuePath, key: string): SourcePosition {
    const map = this.doc.getIn(path, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isPair(pair) && isScalar(pair.key) && String(pair.key.value) === key && pair.key.range) {
          return this.at(pair.key.range[0]);
        }
      }
    }
    return this.position(path);
  }

  private at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.path, line, column: col };
  }
}
