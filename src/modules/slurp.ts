// slurp: a remote file's content, base64-encoded (Ansible's `slurp`), in one command.
import { shellQuote } from "../engine/shell-quote.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runRemote } from "./lib/remote.js";
import type { JsonSchema } from "./types.js";

export interface SlurpArgs {
  src: string;
}

const schema: JsonSchema = {
  type: "object",
  properties: { src: { type: "string", minLength: 1, aliases: ["path"] } },
  required: ["src"],
  additionalProperties: false,
};

// Distinct exit codes tell "missing" and "a directory" apart from a read error.
const MISSING = 44;
const DIRECTORY = 45;

export const slurp = defineOperation<SlurpArgs, string, Plan>({
  name: "slurp",
  schema,
  async probe(ctx, args) {
    const q = shellQuote(args.src);
    const r = await runRemote(ctx, `[ -e ${q} ] || exit ${MISSING}; [ -d ${q} ] && exit ${DIRECTORY}; base64 -w0 -- ${q}`);
    if (r.rc === MISSING) throw new ModuleFailure(`file not found: ${args.src}`);
    if (r.rc === DIRECTORY) throw new ModuleFailure(`source is a directory and must be a file: ${args.src}`);
    if (r.rc !== 0) throw new ModuleFailure(`unable to slurp file: ${args.src}: ${r.stderr.trim()}`, { rc: r.rc });
    return r.stdout.trim();
  },
  plan: (args, content) => ({ changed: false, result: { content, encoding: "base64", source: args.src } }),
});
