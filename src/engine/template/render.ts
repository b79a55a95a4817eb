// Renders Handlebars templates (config files) with the expression language's filters as helpers.
// noEscape (config files, not HTML) and strict (a missing variable is an error naming the variable
// and file:line:column). Compiled templates are cached by text, files by path + mtime + size.
import { statSync, readFileSync } from "node:fs";
import type Handlebars from "handlebars";
import { KplayError, type SourcePosition } from "../errors.js";
import { didYouMean } from "../expr/errors.js";
import { Evaluator, type Vars } from "../expr/evaluator.js";
import type { EvalOptions } from "../expr/options.js";
import { lazyRequire } from "../lazy-require.js";
import { templateInfo, type TemplateInfo } from "./ast-info.js";
import { registerHelpers, templateHelperNames, type RenderData } from "./helpers.js";
import { buildContext } from "./values.js";

const handlebarsPackage = lazyRequire<typeof Handlebars>("handlebars");
let environment: typeof Handlebars | undefined;

/** kplay's Handlebars environment, made when the first template is compiled. */
function handlebars(): typeof Handlebars {
  if (!environment) {
    environment = handlebarsPackage().create();
    registerHelpers(environment);
  }
  return environment;
}

// trackIds makes Handlebars tell helpers each parameter's path, so `{{join servers}}` can name `servers`.
const COMPILE_OPTIONS = { noEscape: true, strict: true, trackIds: true } as CompileOptions;
const CACHE_LIMIT = 2_000;

interface Compiled {
  text: string;
  run: Handlebars.TemplateDelegate;
  info: TemplateInfo;
}

const byText = new Map<string, Compiled>();
const byFile = new Map<string, { mtimeMs: number; size: number; compiled: Compiled }>();

/** Handlebars errors carry `lineNumber` and a 0-based `column` when they know where. */
interface HandlebarsError extends Error {
  lineNumber?: number;
  column?: number;
}

function translateError(e: unknown, text: string, file: string, info?: TemplateInfo): KplayError {
  if (e instanceof KplayError) return e.context.position ? e : new KplayError({ ...e.context, position: { file, line: 1, column: 1 } });
  const err = e as HandlebarsError;
  const message = String(err?.message ?? e);
  const parse = /^Parse error on line (\d+):[\s\S]*\n(Expecting [\s\S]*)$/.exec(message);
  if (parse) {
    return new KplayError({ kind: "template", message: `template syntax error: ${parse[2]}`, position: { file, line: Number(parse[1]), column: 1 } });
  }
  const line = err?.lineNumber;
  const column = err?.column;
  const position: SourcePosition = { file, line: line ?? 1, column: (column ?? 0) + 1 };
  const notDefined = /^"(.*)" not defined in/.exec(message);
  if (notDefined && line !== undefined) {
    const path = info?.paths.get(`${line}:${column}`);
    if (path?.calledWithParams) {
      return new KplayError({
        kind: "template",
        message: `no helper named '${path.original}'`,
        position,
        hint: didYouMean(path.original, templateHelperNames()),
      });
    }
    return new KplayError({ kind: "variable", message: `'${path?.original ?? notDefined[1]}' is undefined`, position });
  }
  const missingHelper = /^Missing helper: "(.*)"/.exec(message);
  if (missingHelper) {
    return new KplayError({
      kind: "template",
      message: `no helper named '${missingHelper[1]}'`,
      position: line === undefined ? positionOfText(text, file, missingHelper[1]) : position,
      hint: didYouMean(missingHelper[1], templateHelperNames()),
    });
  }
  return new KplayError({ kind: "template", message: message.replace(/ - \d+:\d+$/, ""), position });
}

/** Best effort position for errors Handlebars reports without one: the first mention of `word`. */
function positionOfText(text: string, file: string, word: string): SourcePosition {
  const at = Math.max(0, text.indexOf(word));
  const before = text.slice(0, at).split("\n");
  return { file, line: before.length, column: before[before.length - 1].length + 1 };
}

function compile(text: string, file: string): Compiled {
  try {
    const hb = handlebars();
    const info = templateInfo(hb.parse(text));
    return { text, run: hb.compile(text, COMPILE_OPTIONS), info };
  } catch (e) {
    throw translateError(e, text, file);
  }
}

function cachedCompile(text: string, file: string): Compiled {
  let compiled = byText.get(text);
  if (!compiled) {
    compiled = compile(text, file);
    if (byText.size >= CACHE_LIMIT) byText.clear();
    byText.set(text, compiled);
  }
  return compiled;
}

function run(compiled: Compiled, vars: Vars, file: string, options: EvalOptions): string {
  const data: RenderData = { plugins: new Evaluator(vars, options), file };
  try {
    return compiled.run(buildContext(vars, compiled.info.names), { data: { kplay: data } });
  } catch (e) {
    throw translateError(e, compiled.text, file, compiled.info);
  }
}

/** Renders template text; `fileName` is used in error positions. */
export function renderTemplateString(text: string, vars: Vars, fileName = "<template>", options: EvalOptions = {}): string {
  return run(cachedCompile(text, fileName), vars, fileName, options);
}

/** Renders a template file, recompiling only when its mtime or size changed. */
export function renderTemplateFile(path: string, vars: Vars, options: EvalOptions = {}): string {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new KplayError({ kind: "template", message: `template file not found: ${path}` });
  }
  let cached = byFile.get(path);
  if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size) {
    const text = readFileSync(path, "utf8");
    cached = { mtimeMs: stat.mtimeMs, size: stat.size, compiled: compile(text, path) };
    if (byFile.size >= CACHE_LIMIT) byFile.clear();
    byFile.set(path, cached);
  }
  return run(cached.compiled, vars, path, options);
}

/** Checks a template's syntax without rendering it (for load-time validation). */
export function checkTemplateSyntax(text: string, fileName = "<template>"): KplayError | undefined {
  try {
    cachedCompile(text, fileName);
    handlebars().precompile(text, COMPILE_OPTIONS);
    return undefined;
  } catch (e) {
    return translateError(e, text, fileName);
  }
}
