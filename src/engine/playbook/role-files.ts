// Reading a role's own files: how it is named in a play (`roles:` entries, meta dependencies,
// import_role arguments), its `meta/main`, and its `defaults/` and `vars/` mappings.
import type { ErrorContext, SourcePosition } from "../errors.js";
import type { CommonKeywords } from "./model.js";
import { commonKeywords, isMapping } from "./normalize.js";
import { findRoleFile } from "./role-search.js";
import { checkKeywords, unknownKeys } from "./schema-check.js";
import { keywordsOf, ROLE_ENTRY_SCHEMA, ROLE_META_SCHEMA } from "./schemas.js";
import { SourceFile, type ValuePath } from "./source.js";

export interface RoleEntry {
  name: string;
  /** Keys of the entry that are not keywords (Ansible's role parameters). */
  params: Record<string, unknown>;
  keywords: CommonKeywords;
  tasksFrom?: string;
  varsFrom?: string;
  defaultsFrom?: string;
  handlersFrom?: string;
  position: SourcePosition;
}

const ROLE_ENTRY_KEYWORDS = keywordsOf(ROLE_ENTRY_SCHEMA);


/** `- x`, `- role: x` with keywords and parameters, `- {name: x}`. */
export function parseRoleEntry(entry: unknown, file: SourceFile, at: ValuePath): { entry?: RoleEntry; errors: ErrorContext[] } {
  const position = file.position(at);
  if (typeof entry === "string") return { entry: { name: entry, params: {}, keywords: {}, position }, errors: [] };
  if (!isMapping(entry)) return { errors: [{ kind: "playbook", message: "a role must be a name or a mapping with `role:`", position }] };
  const name = entry.role ?? entry.name;
  if (typeof name !== "string" || name === "") return { errors: [{ kind: "playbook", message: "role entry has no `role:` name", position }] };
  const keywordPart: Record<string, unknown> = {};
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === "role" || key === "name") continue;
    if (ROLE_ENTRY_KEYWORDS.includes(key)) keywordPart[key] = value;
    else params[key] = value;
  }
  const errors = checkKeywords(ROLE_ENTRY_SCHEMA, keywordPart, file, at, "role");
  if (errors.length > 0) return { errors };
  return { entry: { name, params, keywords: commonKeywords(keywordPart, file, at), position }, errors };
}

/** `import_role`/`include_role` arguments as a role entry (their `vars:` are task vars, inherited). */
export function roleEntryFromArgs(args: Record<string, unknown>, position: SourcePosition): RoleEntry {
  return {
    name: String(args.name),
    params: {},
    keywords: {},
    tasksFrom: args.tasks_from as string | undefined,
    varsFrom: args.vars_from as string | undefined,
    defaultsFrom: args.defaults_from as string | undefined,
    handlersFrom: args.handlers_from as string | undefined,
    position,
  };
}

/** `defaults/BASE` or `vars/BASE`: a mapping of variables; only a named (`*_from`) file must exist. */
export function readRoleVars(roleDir: string, subdir: string, base: string, from: SourcePosition): { vars: Record<string, unknown>; errors: ErrorContext[] } {
  const path = findRoleFile(roleDir, subdir, base);
  if (!path) {
    const errors: ErrorContext[] = base === "main" ? [] : [{ kind: "playbook", message: `${subdir}/${base} not found in role ${roleDir}`, position: from }];
    return { vars: {}, errors };
  }
  const { file, errors } = SourceFile.read(path);
  if (!file || file.value === null) return { vars: {}, errors };
  if (!isMapping(file.value)) {
    return { vars: {}, errors: [{ kind: "playbook", message: `${subdir}/${base} of a role must be a mapping of variables`, position: file.position([]) }] };
  }
  return { vars: file.value, errors: [] };
}

export interface RoleMeta {
  dependencies: RoleEntry[];
  allowDuplicates: boolean;
}

export function readRoleMeta(roleDir: string): { meta: RoleMeta; errors: ErrorContext[] } {
  const none: RoleMeta = { dependencies: [], allowDuplicates: false };
  const path = findRoleFile(roleDir, "meta", "main");
  if (!path) return { meta: none, errors: [] };
  const { file, errors } = SourceFile.read(path);
  if (!file || file.value === null) return { meta: none, errors };
  const meta = file.value;
  if (!isMapping(meta)) return { meta: none, errors: [{ kind: "playbook", message: "meta/main of a role must be a mapping", position: file.position([]) }] };
  errors.push(...unknownKeys(meta, file, [], keywordsOf(ROLE_META_SCHEMA), "a role's meta/main"));
  errors.push(...checkKeywords(ROLE_META_SCHEMA, meta, file, [], "a role's meta/main"));
  if (errors.length > 0) return { meta: none, errors };
  const dependencies: RoleEntry[] = [];
  (Array.isArray(meta.dependencies) ? meta.dependencies : []).forEach((dep, i) => {
    const parsed = parseRoleEntry(dep, file, ["dependencies", i]);
    errors.push(...parsed.errors);
    if (parsed.entry) dependencies.push(parsed.entry);
  });
  return { meta: { dependencies, allowDuplicates: meta.allow_duplicates === true }, errors };
}
