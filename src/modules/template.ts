// template: renders a Jinja2 (or `.hbs` Handlebars) file on the control machine with the task's variables, then
// installs the result exactly as copy installs inline content (sha256 compare, atomic, validate).
import { applyFileWrites, localSourceFile, planCopy, probeCopyTargets, type CopyPlan, type CopyProbe } from "./copy.js";
import { defineOperation } from "./lib/operation.js";
import { checkValidateArg } from "./lib/write-file.js";
import type { JsonSchema } from "./types.js";

export interface TemplateArgs {
  src: string;
  dest: string;
  mode?: string | number;
  owner?: string;
  group?: string;
  backup: boolean;
  validate?: string;
  force: boolean;
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    src: { type: "string", minLength: 1 },
    dest: { type: "string", minLength: 1 },
    mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
    backup: { type: "boolean", default: false },
    validate: { type: "string" },
    force: { type: "boolean", default: true },
  },
  required: ["src", "dest"],
  additionalProperties: false,
};

export const template = defineOperation<TemplateArgs, CopyProbe, CopyPlan>({
  name: "template",
  schema,
  async probe(ctx, args) {
    checkValidateArg(args.validate);
    const rendered = Buffer.from(ctx.renderTemplate(ctx.findFile(args.src, "templates")));
    return probeCopyTargets(ctx, { ...args, remote_src: false }, { kind: "file", files: [localSourceFile("", rendered, 0o644)], directories: [] });
  },
  plan: (args, probe) => planCopy({ ...args, remote_src: false }, probe),
  apply: (ctx, args, plan) =>
    applyFileWrites(ctx, plan, { backup: args.backup, ...(args.validate ? { validate: args.validate } : {}), what: `template ${args.dest}` }),
});
