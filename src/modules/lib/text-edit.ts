// Shared by lineinfile and blockinfile: an edited text plus wanted attributes become one plan;
// applying writes the content (backup, validate, atomic) or, when only attributes differ, fixes them.
import { posix } from "node:path";
import { shellJoin } from "../../engine/shell-quote.js";
import type { FileDiff, ModuleContext } from "../types.js";
import { attributeCommands, attributeSnapshot, hasAttributeChanges, planAttributes, type AttributeChanges, type WantedAttributes } from "./attributes.js";
import { contentDiff, stateDiff } from "./diff.js";
import type { PresentFile } from "./file-state.js";
import type { Plan } from "./operation.js";
import { runAll } from "./remote.js";
import { probeTextFile, type TextFile } from "./text-file.js";
import { checkValidateArg, writeRemoteFile } from "./write-file.js";

export interface EditPlan extends Plan {
  /** New content when it changes. */
  content?: string;
  /** How to encode `content` (the file's own encoding, see TextFile); UTF-8 when absent. */
  encoding?: TextFile["encoding"];
  /** Parent directory to create first (create: true on a missing directory). */
  createParent?: string;
  attributes: AttributeChanges;
  current?: PresentFile;
}

/** Shared by lineinfile and blockinfile: content and attribute changes into one plan. */
export function planTextEdit(
  path: string,
  file: TextFile,
  edit: { content: string; changed: boolean; msg: string },
  wanted: WantedAttributes,
  result: Record<string, unknown> = {},
): EditPlan {
  const current = file.state.exists ? (file.state as PresentFile) : undefined;
  const attributes = planAttributes(path, wanted, current, { mode: 0o644, isDirectory: false });
  const diff: FileDiff[] = [];
  if (edit.changed) diff.push(contentDiff(path, file.content ?? "", edit.content));
  let msg = edit.msg;
  // Only an existing file's attributes are "changed" on their own; a new file gets them as it is written.
  const attributesChange = current !== undefined && hasAttributeChanges(attributes);
  if (attributesChange) {
    msg = msg ? `${msg} and ownership, perms or SE linux context changed` : "ownership, perms or SE linux context changed";
    diff.push(stateDiff(path, attributeSnapshot(attributes, 0), attributeSnapshot(attributes, 1)));
  }
  return {
    changed: edit.changed || attributesChange,
    msg,
    encoding: file.encoding,
    diff,
    attributes,
    ...(current ? { current } : {}),
    ...(edit.changed ? { content: edit.content } : {}),
    ...(edit.changed && !file.parent.exists ? { createParent: posix.dirname(path) } : {}),
    result: { ...result },
  };
}

/** The arguments lineinfile and blockinfile share for reading and writing the file. */
export interface TextEditArgs {
  path: string;
  backup: boolean;
  validate?: string;
}

/** Reads the file to edit, after rejecting a `validate` without `%s` before anything is touched. */
export function probeEditedFile(ctx: ModuleContext, args: TextEditArgs): Promise<TextFile> {
  checkValidateArg(args.validate);
  return probeTextFile(ctx, args.path);
}

/** Writes the new content (with backup/validate) or only fixes attributes. */
export async function applyTextEdit(ctx: ModuleContext, args: TextEditArgs, plan: EditPlan): Promise<{ backup_file?: string }> {
  const { path } = args;
  if (plan.content === undefined) {
    await runAll(ctx, attributeCommands(plan.attributes), `set attributes of ${path}`);
    return {};
  }
  if (plan.createParent) await runAll(ctx, [shellJoin(["mkdir", "-p", "--", plan.createParent])], `create ${plan.createParent}`);
  return writeRemoteFile(ctx, path, Buffer.from(plan.content, plan.encoding ?? "utf8"), {
    attributes: plan.attributes,
    ...(plan.current ? { current: plan.current } : {}),
    backup: args.backup,
    ...(args.validate ? { validate: args.validate } : {}),
  });
}
