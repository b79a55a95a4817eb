// `-e` values as ansible-playbook reads them: `@file.yml`, inline YAML/JSON `{...}`, or
// `k=v k2="v 2"` (values stay strings). Merged in command-line order; later top-level keys win.
import { resolve } from "node:path";
import type { ErrorContext } from "../engine/errors.js";
import { isMapping } from "../engine/playbook/normalize.js";
import { parseKv } from "../engine/playbook/parse-kv.js";
import { SourceFile } from "../engine/playbook/source.js";


function parseOne(text: string, cwd: string): { vars: Record<string, unknown>; errors: ErrorContext[] } {
  const trimmed = text.trim();
  if (trimmed === "") return { vars: {}, errors: [] };
  if (trimmed.startsWith("@")) {
    const path = resolve(cwd, trimmed.slice(1));
    const { file, errors } = SourceFile.read(path, "variable");
    if (!file) return { vars: {}, errors };
    if (file.value === null) return { vars: {}, errors: [] };
    if (!isMapping(file.value)) {
      return { vars: {}, errors: [{ kind: "variable", message: `extra vars file ${path} must hold a mapping`, position: file.position([]) }] };
    }
    return { vars: file.value, errors: [] };
  }
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const { file, errors } = SourceFile.parse("-e", trimmed, "variable");
    if (!file) return { vars: {}, errors };
    if (!isMapping(file.value)) return { vars: {}, errors: [{ kind: "variable", message: `-e ${text}: must be a mapping, not a list` }] };
    return { vars: file.value, errors: [] };
  }
  const { options, raw } = parseKv(trimmed, false);
  if (raw !== "") {
    return {
      vars: options,
      errors: [{ kind: "usage", message: `-e ${text}: \`${raw}\` is not key=value`, hint: "use -e 'key=value', -e '{\"key\": 1}' or -e @file.yml" }],
    };
  }
  return { vars: options, errors: [] };
}

export function parseExtraVars(values: readonly string[], cwd = process.cwd()): { vars: Record<string, unknown>; errors: ErrorContext[] } {
  const vars: Record<string, unknown> = {};
  const errors: ErrorContext[] = [];
  for (const value of values) {
    const one = parseOne(value, cwd);
    Object.assign(vars, one.vars);
    errors.push(...one.errors);
  }
  return { vars, errors };
}
