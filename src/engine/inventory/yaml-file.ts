// Reads one YAML (or JSON) file the way Ansible's loader does (YAML 1.1, PyYAML scalars,
// duplicate keys allowed with the last winning) and keeps the node positions so that
// structural errors found later can still point at file:line:column.

import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import { KplayError, type SourcePosition } from "../errors.js";
import { readableText } from "../vault/vaulted-file.js";
import { decryptInlineVaults, VAULT_TAG } from "../vault/vaulted-yaml.js";
import { PYYAML_SCALAR_TAGS } from "./pyyaml-scalars.js";

export interface YamlFile {
  /** Mappings are `Map`s so that key types survive (Ansible refuses non-string host names). */
  value: unknown;
  errors: KplayError[];
  /** Where the node at `path` (keys from the top) starts; the file start if it cannot be found. */
  locate(path: unknown[]): SourcePosition;
}

/** Vault-encrypted files and `!vault` values are decrypted with the session's secrets. */
export function loadYamlFile(fileText: string, file: string): YamlFile {
  const readable = readableText(fileText, file, "inventory");
  if (readable.error) {
    const error = new KplayError(readable.error);
    return { value: undefined, errors: [error], locate: () => error.context.position! };
  }
  const text = readable.text;
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, {
    version: "1.1",
    schema: "failsafe",
    customTags: (tags) => [...tags, ...PYYAML_SCALAR_TAGS, VAULT_TAG],
    merge: true,
    uniqueKeys: false,
    lineCounter,
    prettyErrors: false,
  });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const errors = doc.errors.map(
    (e) =>
      new KplayError({
        kind: "inventory",
        message: `invalid YAML: ${e.message.split("\n")[0]}`,
        position: at(e.pos[0]),
        hint: "check the indentation and quoting around this position",
      }),
  );
  if (errors.length === 0) {
    errors.push(...decryptInlineVaults(doc, file, (offset) => lineCounter.linePos(offset).line, "inventory").map((e) => new KplayError(e)));
  }
  let value: unknown;
  if (errors.length === 0) {
    try {
      value = doc.toJS({ mapAsMap: true });
    } catch (e) {
      // Aliases without anchors and alias bombs only show up while building the values.
      if (!(e instanceof Error)) throw e;
      errors.push(new KplayError({ kind: "inventory", message: `invalid YAML: ${e.message}`, position: at(0), hint: "define each &anchor before using its *alias" }));
    }
  }
  return {
    value,
    errors,
    locate(path) {
      for (let depth = path.length; depth > 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return at(node.range[0]);
        const parent = depth > 1 ? doc.getIn(path.slice(0, depth - 1), true) : doc.contents;
        if (isMap(parent)) {
          const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === path[depth - 1]);
          const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
          if (keyRange) return at(keyRange[0]);
        }
      }
      return at(0);
    },
  };
}

/** Turns the `Map`s of a loaded file into plain objects, keys written as json.dumps writes them. */
export function plainData(value: unknown): unknown {
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[k === null ? "null" : String(k)] = plainData(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(plainData);
  if (value instanceof Set) return [...value].map(plainData);
  return value;
}
