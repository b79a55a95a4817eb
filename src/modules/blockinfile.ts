// blockinfile: a block of lines between two marker lines, inserted, replaced or removed,
// following Ansible's blockinfile.py step for step (markers, insert positions, messages).
import type { WantedAttributes } from "./lib/attributes.js";
import { defineOperation, ModuleFailure } from "./lib/operation.js";
import { compilePythonRegex } from "./lib/python-regex.js";
import { applyTextEdit, planTextEdit, probeEditedFile, type EditPlan } from "./lib/text-edit.js";
import type { TextFile } from "./lib/text-file.js";
import type { JsonSchema } from "./types.js";

export interface BlockInFileArgs extends WantedAttributes {
  path: string;
  state: "present" | "absent";
  marker: string;
  block: string;
  insertafter?: string;
  insertbefore?: string;
  create: boolean;
  backup: boolean;
  validate?: string;
  marker_begin: string;
  marker_end: string;
}

const schema: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string", minLength: 1, aliases: ["dest", "destfile", "name"] },
    state: { type: "string", enum: ["present", "absent"], default: "present" },
    marker: { type: "string", default: "# {mark} ANSIBLE MANAGED BLOCK" },
    block: { type: "string", default: "", aliases: ["content"] },
    insertafter: { type: "string" },
    insertbefore: { type: "string" },
    create: { type: "boolean", default: false },
    backup: { type: "boolean", default: false },
    validate: { type: "string" },
    marker_begin: { type: "string", default: "BEGIN" },
    marker_end: { type: "string", default: "END" },
    mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
  },
  required: ["path"],
  not: { required: ["insertbefore", "insertafter"] },
  additionalProperties: false,
};

/** Python's bytes.splitlines(keepends=True). */
function splitLinesKeep(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

function countNewlines(text: string, end: number): number {
  return (text.slice(0, end).match(/\n/g) ?? []).length;
}

/** The new content and Ansible's message; `original` undefined when the file does not exist. */
export function blockEdit(args: BlockInFileArgs, original: string | undefined): { content: string; msg: string; changed: boolean } {
  const lines = original === undefined ? [] : splitLinesKeep(original);
  const present = args.state === "present";
  const insertAfter = args.insertafter ?? (args.insertbefore === undefined ? "EOF" : undefined);
  const insertBefore = args.insertbefore;
  const insertSource =
    insertAfter !== undefined && insertAfter !== "EOF" ? insertAfter
    : insertBefore !== undefined && insertBefore !== "BOF" ? insertBefore
    : undefined;
  const insertRe = insertSource !== undefined ? compilePythonRegex(insertSource, insertAfter !== undefined ? "insertafter" : "insertbefore") : undefined;

  const marker0 = `${args.marker.replaceAll("{mark}", args.marker_begin)}\n`;
  const marker1 = `${args.marker.replaceAll("{mark}", args.marker_end)}\n`;
  let blockLines: string[] = [];
  if (present && args.block) {
    const block = args.block.endsWith("\n") ? args.block : `${args.block}\n`;
    blockLines = [marker0, ...splitLinesKeep(block), marker1];
  }

  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((line, i) => {
    if (line === marker0) n0 = i;
    if (line === marker1) n1 = i;
  });

  if (n0 === undefined || n1 === undefined) {
    n0 = undefined;
    if (insertRe) {
      if (insertRe.multiline) {
        const m = insertRe.exec(original ?? "");
        if (m) n0 = countNewlines(original ?? "", insertAfter !== undefined ? m.index + m[0].length : m.index);
      } else {
        lines.forEach((line, i) => {
          if (insertRe.exec(line.replace(/\n$/, ""))) n0 = i;
        });
      }
      if (n0 === undefined) n0 = lines.length;
      else if (insertAfter !== undefined) n0 += 1;
    } else {
      n0 = insertBefore !== undefined ? 0 : lines.length;
    }
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }

  if (n0 > 0 && !lines[n0 - 1].endsWith("\n")) lines[n0 - 1] += "\n";
  lines.splice(n0, 0, ...blockLines);
  const content = lines.join("");

  if (original === content) return { content, msg: "", changed: false };
  if (original === undefined) return { content, msg: "File created", changed: true };
  return { content, msg: blockLines.length === 0 ? "Block removed" : "Block inserted", changed: true };
}

export function planBlockInFile(args: BlockInFileArgs, file: TextFile): EditPlan {
  if (file.state.exists && file.state.type === "directory") throw new ModuleFailure(`Path ${args.path} is a directory !`, { rc: 256 });
  if (!file.state.exists) {
    if (!args.create) throw new ModuleFailure(`Path ${args.path} does not exist !`, { rc: 257 });
    if (args.state === "absent") return { changed: false, msg: `File ${args.path} not present`, attributes: { path: args.path, isLink: false } };
  }
  return planTextEdit(args.path, file, blockEdit(args, file.state.exists ? (file.content ?? "") : undefined), args);
}

export const blockinfile = defineOperation<BlockInFileArgs, TextFile, EditPlan>({
  name: "blockinfile",
  schema,
  probe: probeEditedFile,
  plan: (args, file) => planBlockInFile(args, file),
  async apply(ctx, args, plan) {
    const written = await applyTextEdit(ctx, args, plan);
    return written.backup_file ? { backup_file: written.backup_file } : {};
  },
});
