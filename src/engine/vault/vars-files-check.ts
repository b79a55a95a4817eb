// Plays read their vars_files when they start, as in Ansible. A vaulted one that the given secrets
// cannot open is found before anything runs instead, when its name is literal (not templated).
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { ErrorContext } from "../errors.js";
import { hasTemplateMarkup } from "../expr/template-string.js";
import type { Playbook } from "../playbook/model.js";
import { isVaulted } from "./envelope.js";
import { readableText } from "./vaulted-file.js";

export function checkVaultedVarsFiles(playbooks: readonly Playbook[]): ErrorContext[] {
  const paths = new Set<string>();
  for (const play of playbooks.flatMap((p) => p.plays)) {
    for (const name of play.vars_files) if (!hasTemplateMarkup(name)) paths.add(isAbsolute(name) ? name : join(play.playbookDir, name));
  }
  const errors: ErrorContext[] = [];
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const text = readFileSync(path, "utf8");
    if (!isVaulted(text)) continue;
    const { error } = readableText(text, path, "playbook");
    if (error) errors.push(error);
  }
  return errors;
}
