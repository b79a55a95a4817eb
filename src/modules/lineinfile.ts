// lineinfile: makes sure one line is present (replacing what `regexp` matches) or absent,
// following Ansible's lineinfile.py decision for decision so playbooks behave the same.
import type { WantedAttributes } from "./lib/attributes.js";
import { defineOperation, ModuleFailure } from "./lib/operation.js";
import { compilePythonRegex, expandPythonTemplate } from "./lib/python-regex.js";
import { applyTextEdit, planTextEdit, probeEditedFile, type EditPlan } from "./lib/text-edit.js";
import { splitLines, type TextFile } from "./lib/text-file.js";
import type { JsonSchema } from "./types.js";

export interface LineInFileArgs extends WantedAttributes {
  path: string;
  state: "present" | "absent";
  regexp?: string;
  search_string?: string;
  line?: string;
  insertafter?: string;
  insertbefore?: string;
  backrefs: boolean;
  create: boolean;
  backup: boolean;
  firstmatch: boolean;
  validate?: string;
}


const schema: JsonSchema = {
  type: "object",
  properties: {
    path: { type: "string", minLength: 1, aliases: ["dest", "destfile", "name"] },
    state: { type: "string", enum: ["present", "absent"], default: "present" },
    regexp: { type: "string", aliases: ["regex"] },
    search_string: { type: "string" },
    line: { type: "string", aliases: ["value"] },
    insertafter: { type: "string" },
    insertbefore: { type: "string" },
    backrefs: { type: "boolean", default: false },
    create: { type: "boolean", default: false },
    backup: { type: "boolean", default: false },
    firstmatch: { type: "boolean", default: false },
    validate: { type: "string" },
    mode: { type: ["string", "integer"] },
    owner: { type: "string" },
    group: { type: "string" },
  },
  required: ["path"],
  allOf: [
    { not: { required: ["insertbefore", "insertafter"] } },
    { not: { required: ["regexp", "search_string"] } },
    { not: { required: ["backrefs", "search_string"] } },
  ],
  additionalProperties: false,
};

interface Edit {
  lines: string[];
  msg: string;
  changed: boolean;
  found?: number;
}

/** Ansible's present(): where the line goes, or which line it replaces. */
export function presentEdit(args: LineInFileArgs, original: string[]): Edit {
  const lines = [...original];
  const line = args.line!;
  const insertAfter = args.insertafter ?? (args.insertbefore === undefined ? "EOF" : undefined);
  const insertBefore = args.insertbefore;
  const regexp = args.regexp !== undefined ? compilePythonRegex(args.regexp, "regexp") : undefined;
  const anchor =
    insertAfter !== undefined && insertAfter !== "BOF" && insertAfter !== "EOF"
      ? compilePythonRegex(insertAfter, "insertafter")
      : insertBefore !== undefined && insertBefore !== "BOF"
        ? compilePythonRegex(insertBefore, "insertbefore")
        : undefined;
  let matchAt = -1;
  let insertAt = -1;
  let match: RegExpExecArray | boolean | undefined;

  if (regexp) {
    for (const [i, cur] of lines.entries()) {
      const m = regexp.exec(stripNewline(cur));
      if (m) {
        matchAt = i;
        match = m;
        if (args.firstmatch) break;
      }
    }
  }
  if (args.search_string !== undefined) {
    for (const [i, cur] of lines.entries()) {
      if (cur.includes(args.search_string)) {
        matchAt = i;
        match = true;
        if (args.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (const [i, cur] of lines.entries()) {
      if (line === cur.replace(/[\r\n]+$/, "")) {
        matchAt = i;
      } else if (anchor && anchor.exec(stripNewline(cur))) {
        insertAt = insertAfter !== undefined ? i + 1 : i;
        if (args.firstmatch) break;
      }
    }
  }

  const same = (i: number) => lines[i].replace(/[\r\n]+$/, "") === line;
  if (matchAt !== -1) {
    let newLine = args.backrefs && match && typeof match !== "boolean" ? expandPythonTemplate(line, match) : line;
    if (!newLine.endsWith("\n")) newLine += "\n";
    if (lines[matchAt] !== newLine) {
      lines[matchAt] = newLine;
      return { lines, msg: "line replaced", changed: true };
    }
    return { lines, msg: "", changed: false };
  }
  if (args.backrefs) return { lines, msg: "", changed: false };
  if (insertBefore === "BOF" || insertAfter === "BOF") {
    lines.unshift(`${line}\n`);
    return { lines, msg: "line added", changed: true };
  }
  if (insertAfter === "EOF" || insertAt === -1) {
    if (lines.length > 0 && !/[\r\n]$/.test(lines[lines.length - 1])) lines.push("\n");
    lines.push(`${line}\n`);
    return { lines, msg: "line added", changed: true };
  }
  if (insertAfter !== undefined) {
    if (lines.length === insertAt) {
      if (same(insertAt - 1)) return { lines, msg: "", changed: false };
      lines.push(`${line}\n`);
      return { lines, msg: "line added", changed: true };
    }
    if (same(insertAt)) return { lines, msg: "", changed: false };
  }
  lines.splice(insertAt, 0, `${line}\n`);
  return { lines, msg: "line added", changed: true };
}

/** Python's `$` also matches before a final newline; matching the line without it does the same. */
function stripNewline(line: string): string {
  return line.endsWith("\n") ? line.slice(0, -1) : line;
}

/** Ansible's absent(): drops every matching line. */
export function absentEdit(args: LineInFileArgs, original: string[]): Edit {
  const regexp = args.regexp !== undefined ? compilePythonRegex(args.regexp, "regexp") : undefined;
  const matches = (cur: string) =>
    regexp ? regexp.exec(stripNewline(cur)) !== null
    : args.search_string !== undefined ? cur.includes(args.search_string)
    : args.line === cur.replace(/[\r\n]+$/, "");
  const lines = original.filter((l) => !matches(l));
  const found = original.length - lines.length;
  return { lines, msg: found > 0 ? `${found} line(s) removed` : "", changed: found > 0, found };
}

export function planLineInFile(args: LineInFileArgs, file: TextFile): EditPlan {
  if (file.state.exists && file.state.type === "directory") throw new ModuleFailure(`Path ${args.path} is a directory !`, { rc: 256 });
  if (args.state === "present") {
    if (args.backrefs && args.regexp === undefined) throw new ModuleFailure("regexp is required with backrefs=true");
    if (args.line === undefined) throw new ModuleFailure("line is required with state=present");
    if (!file.state.exists && !args.create) throw new ModuleFailure(`Destination ${args.path} does not exist !`, { rc: 257 });
    const edit = presentEdit(args, splitLines(file.content ?? ""));
    return planTextEdit(args.path, file, { ...edit, content: edit.lines.join("") }, args);
  }
  if (args.regexp === undefined && args.search_string === undefined && args.line === undefined) {
    throw new ModuleFailure("one of line, search_string, or regexp is required with state=absent");
  }
  if (!file.state.exists) return { changed: false, msg: "file not present", attributes: { path: args.path, isLink: false } };
  const edit = absentEdit(args, splitLines(file.content ?? ""));
  return planTextEdit(args.path, file, { ...edit, content: edit.lines.join("") }, args, { found: edit.found });
}

export const lineinfile = defineOperation<LineInFileArgs, TextFile, EditPlan>({
  name: "lineinfile",
  schema,
  probe: probeEditedFile,
  plan: (args, file) => planLineInFile(args, file),
  async apply(ctx, args, plan) {
    const written = await applyTextEdit(ctx, args, plan);
    return { backup: written.backup_file ?? "" };
  },
});
