// `group_vars/` and `host_vars/` as Ansible's host_group_vars plugin reads them: for NAME the
// first of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json` that exists; a directory is read
// recursively in name order (hidden files, backups and other extensions skipped).
// Each file's top-level keys replace earlier ones (hash_behaviour=replace).

import { readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { KplayError } from "../errors.js";
import { sortedDirEntries } from "./dir-entries.js";
import { loadYamlFile, plainData } from "./yaml-file.js";

const VARS_EXTENSIONS = [".yml", ".yaml", ".json"];

function kindOf(path: string): "file" | "dir" | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
  } catch {
    return undefined;
  }
}

function filesInDir(dir: string): string[] {
  const found: string[] = [];
  for (const name of sortedDirEntries(dir)) {
    if (name.startsWith(".") || name.endsWith("~")) continue;
    const ext = extname(name);
    const full = join(dir, name);
    const kind = kindOf(full);
    if (kind === "dir" && !ext) found.push(...filesInDir(full));
    else if (kind === "file" && (!ext || VARS_EXTENSIONS.includes(ext))) found.push(full);
  }
  return found;
}

/**
 * The files holding vars for `name` under `dir` (a group_vars/ or host_vars/ directory), in load
 * order. `entries` (the names in `dir`, when already listed) spares a stat per candidate.
 */
export function findVarsFiles(dir: string, name: string, entries?: ReadonlySet<string>): string[] {
  if (entries && !name.includes("/") && ["", ...VARS_EXTENSIONS].every((ext) => !entries.has(name + ext))) return [];
  for (const ext of ["", ...VARS_EXTENSIONS]) {
    const candidate = join(dir, name + ext);
    const kind = kindOf(candidate);
    if (kind === "dir") return filesInDir(candidate);
    if (kind === "file") return [candidate];
  }
  return [];
}

export interface VarsFileResult {
  vars: Record<string, unknown>;
  errors: KplayError[];
}

/** Loads and merges the vars of one entity; an empty file adds nothing, a non-mapping is an error. */
export function loadVarsFiles(files: string[]): VarsFileResult {
  let vars: Record<string, unknown> = {};
  const errors: KplayError[] = [];
  for (const file of files) {
    // A vault-encrypted file is decrypted by loadYamlFile, with the command's vault secrets.
    const yaml = loadYamlFile(readFileSync(file, "utf8"), file);
    errors.push(...yaml.errors);
    if (yaml.value === null || yaml.value === undefined) continue;
    if (!(yaml.value instanceof Map)) {
      errors.push(
        new KplayError({
          kind: "inventory",
          message: `vars file must contain a mapping of variable names to values`,
          position: yaml.locate([]),
          hint: "write one `name: value` per line",
        }),
      );
      continue;
    }
    vars = { ...vars, ...(plainData(yaml.value) as Record<string, unknown>) };
  }
  return { vars, errors };
}
