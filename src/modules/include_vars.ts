// include_vars: loads variables from a YAML/JSON file or a directory of them, on the controller.
// The executor stores the returned `ansible_facts` in the include_vars layer (above task vars).
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { formatPosition } from "../engine/errors.js";
import { isMapping } from "../engine/playbook/normalize.js";
import { SourceFile } from "../engine/playbook/source.js";
import type { ModuleDefinition } from "./types.js";

export interface IncludeVarsArgs {
  file?: string;
  dir?: string;
  name?: string;
  depth: number;
  files_matching?: string;
  ignore_files: string[];
  extensions: string[];
}

async function filesIn(dir: string, args: IncludeVarsArgs, level: number): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const out: string[] = [];
  const matching = args.files_matching ? new RegExp(args.files_matching) : undefined;
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (args.depth === 0 || level < args.depth) out.push(...(await filesIn(full, args, level + 1)));
    } else if (
      args.extensions.includes(path.extname(e.name).slice(1)) &&
      !args.ignore_files.includes(e.name) &&
      (!matching || matching.test(e.name))
    ) {
      out.push(full);
    }
  }
  return out;
}

/** Read as Ansible's loader reads it: YAML 1.1, vault-encrypted files and `!vault` values decrypted. */
async function loadFile(file: string): Promise<Record<string, unknown>> {
  const { file: source, errors } = SourceFile.parse(file, await readFile(file, "utf8"), "variable");
  if (!source) throw new Error(errors.map((e) => (e.position ? `${formatPosition(e.position)}: ${e.message}` : e.message)).join("; "));
  const data = source.value ?? {};
  if (!isMapping(data)) throw new Error(`${file} must contain a mapping of variables`);
  return data;
}

export const includeVarsModule: ModuleDefinition<IncludeVarsArgs> = {
  name: "include_vars",
  freeForm: "file",
  controllerOnly: true,
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      file: { type: "string", minLength: 1 },
      dir: { type: "string", minLength: 1 },
      name: { type: "string" },
      depth: { type: "integer", minimum: 0, default: 0 },
      files_matching: { type: "string" },
      ignore_files: { type: "array", items: { type: "string" }, default: [] },
      extensions: { type: "array", items: { type: "string" }, default: ["yaml", "yml", "json"] },
    },
    oneOf: [{ required: ["file"] }, { required: ["dir"] }],
  },
  async run(ctx, args) {
    const target = ctx.findFile((args.file ?? args.dir)!, "vars");
    let files: string[];
    try {
      files = args.dir !== undefined || (await stat(target)).isDirectory() ? await filesIn(target, args, 1) : [target];
    } catch {
      return { changed: false, failed: true, msg: `Could not find or access '${args.file ?? args.dir}'`, ansible_included_var_files: [] };
    }
    let vars: Record<string, unknown> = {};
    try {
      for (const f of files) vars = { ...vars, ...(await loadFile(f)) };
    } catch (e) {
      return { changed: false, failed: true, msg: (e as Error).message, ansible_included_var_files: files };
    }
    return { changed: false, ansible_included_var_files: files, ansible_facts: args.name ? { [args.name]: vars } : vars };
  },
};
