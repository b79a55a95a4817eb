// Checks a task's module arguments against the module's JSON Schema before anything reaches a
// host, and normalizes them the way Ansible does (aliases, yes/no booleans, defaults), so a
// playbook written for Ansible passes unchanged and a typo is reported with its fix.
//
// Schema conventions beyond plain JSON Schema (draft-07, checked by ajv):
// - `aliases: ["dest", "name"]` on a property: other names accepted for it (Ansible's aliases).
// - mutually exclusive arguments: `not: { required: ["src", "content"] }` (in `allOf` for several).
// - one of several required: `anyOf: [{ required: ["src"] }, { required: ["content"] }]`.
// - required when another has a value: `if: {properties: {state: {const: "link"}}, required: ["state"]},
//   then: { required: ["src"] }`.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { closest, distance } from "fastest-levenshtein";
import type { ErrorContext } from "../engine/errors.js";
import type { JsonSchema, ModuleDefinition } from "./types.js";

const addFormats = addFormatsModule.default;

// One Ajv for every module: compiling is the expensive part, so each schema is compiled once, on
// first use, without the meta-schema check (test/unit/playbook/schemas.test.ts does it) nor
// ajv's optimizing passes (half the compile time, same answers).
const ajv = new Ajv({ allErrors: true, verbose: true, useDefaults: true, coerceTypes: "array", strict: true, strictRequired: false, allowUnionTypes: true, validateSchema: false, code: { optimize: false } });
addFormats(ajv);
ajv.addKeyword({ keyword: "aliases", schemaType: "array" });

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

type PropertySchema = { type?: string | string[]; aliases?: string[]; enum?: unknown[] };

function propertiesOf(schema: JsonSchema): Record<string, PropertySchema> {
  return (schema.properties ?? {}) as Record<string, PropertySchema>;
}

// Ansible's boolean spellings (module_utils/parsing/convert_bool.py); ajv only knows true/false.
const TRUE_WORDS = new Set(["yes", "on", "1", "true", "y", "t"]);
const FALSE_WORDS = new Set(["no", "off", "0", "false", "n", "f", ""]);

function acceptsBoolean(prop: PropertySchema): boolean {
  return prop.type === "boolean" || (Array.isArray(prop.type) && prop.type.includes("boolean"));
}

function ansibleBoolean(value: unknown): unknown {
  if (typeof value === "string") {
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
  }
  if (value === 1 || value === 0) return value === 1;
  return value;
}

export interface NormalizedArgs<Args = Record<string, unknown>> {
  /** A copy of the arguments: aliases renamed, booleans converted, defaults filled in. */
  args: Args;
  errors: ErrorContext[];
}

function moduleError(module: ModuleDefinition<any>, message: string, hint?: string): ErrorContext {
  return { kind: "module-args", message: `${module.name}: ${message}`, ...(hint ? { hint } : {}) };
}

function suggestion(word: string, candidates: string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates);
  return distance(word, best) <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What normalizing reads from a schema, worked out once per schema (it runs per task and host). */
interface SchemaShape {
  /** alias -> the argument's own name. */
  canonical: ReadonlyMap<string, string>;
  /** Arguments that accept Ansible's yes/no spellings. */
  booleans: readonly string[];
}

const shapes = new WeakMap<JsonSchema, SchemaShape>();

function shapeOf(schema: JsonSchema): SchemaShape {
  let shape = shapes.get(schema);
  if (!shape) {
    const canonical = new Map<string, string>();
    const booleans: string[] = [];
    for (const [name, prop] of Object.entries(propertiesOf(schema))) {
      for (const alias of prop.aliases ?? []) canonical.set(alias, name);
      if (acceptsBoolean(prop)) booleans.push(name);
    }
    shapes.set(schema, (shape = { canonical, booleans }));
  }
  return shape;
}

function renameAliases(module: ModuleDefinition<any>, input: Record<string, unknown>, errors: ErrorContext[]) {
  const { canonical } = shapeOf(module.schema);
  const out: Record<string, unknown> = {};
  const givenAs = new Map<string, string>();
  for (const [key, value] of Object.entries(input)) {
    const name = canonical.get(key) ?? key;
    const earlier = givenAs.get(name);
    if (earlier !== undefined) {
      errors.push(moduleError(module, `\`${earlier}\` and \`${key}\` name the same argument \`${name}\`; give it once`));
      continue;
    }
    givenAs.set(name, key);
    // ajv fills in defaults and coerces inside nested values: those must be copies.
    out[name] = typeof value === "object" && value !== null ? structuredClone(value) : value;
  }
  return out;
}

function convertBooleans(module: ModuleDefinition<any>, args: Record<string, unknown>) {
  for (const name of shapeOf(module.schema).booleans) {
    if (name in args) args[name] = ansibleBoolean(args[name]);
  }
}

/** The argument an ajv error is about: "/mode" -> "mode", nested "/headers/x" -> "headers.x". */
function argumentName(error: ErrorObject): string {
  return error.instancePath.replace(/^\//, "").replaceAll("/", ".");
}

function requiredList(branch: unknown): string[] | undefined {
  const req = (branch as { required?: unknown } | undefined)?.required;
  return Array.isArray(req) && Object.keys(branch as object).length === 1 ? (req as string[]) : undefined;
}

function describe(module: ModuleDefinition<any>, error: ErrorObject, args: Record<string, unknown>): ErrorContext | undefined {
  const arg = argumentName(error);
  const where = arg ? `\`${arg}\`` : "arguments";
  switch (error.keyword) {
    case "additionalProperties": {
      const unknown = String(error.params.additionalProperty);
      const props = propertiesOf(module.schema);
      const known = Object.keys(props);
      const names = [...known, ...known.flatMap((k) => props[k].aliases ?? [])];
      const guess = arg ? undefined : suggestion(unknown, names);
      return moduleError(
        module,
        `unknown argument \`${arg ? `${arg}.` : ""}${unknown}\`${guess ? ` — did you mean \`${guess}\`?` : ""}`,
        guess ? undefined : `accepted arguments: ${known.sort().join(", ")}`,
      );
    }
    case "required":
      return moduleError(module, `missing required argument \`${[arg, error.params.missingProperty].filter(Boolean).join(".")}\``);
    case "enum": {
      const allowed = (error.params.allowedValues as unknown[]).map(show);
      const got = arg.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], args);
      const guess = typeof got === "string" ? suggestion(got, allowed) : undefined;
      return moduleError(
        module,
        `${where} must be one of ${allowed.join(", ")}; got \`${show(got)}\`${guess ? ` — did you mean \`${guess}\`?` : ""}`,
      );
    }
    case "type":
      return moduleError(module, `${where} must be ${String(error.params.type).replaceAll(",", " or ")}; got ${show(error.data)}`);
    case "not": {
      const both = requiredList((error.parentSchema as { not?: unknown } | undefined)?.not);
      if (both) return moduleError(module, `${both.map((n) => `\`${n}\``).join(" and ")} are mutually exclusive; give only one`);
      return moduleError(module, `${where} ${error.message ?? "is invalid"}`);
    }
    case "anyOf":
    case "oneOf": {
      const branches = (error.schema as unknown[]).map(requiredList);
      if (branches.every((b) => b && b.length === 1)) {
        return moduleError(module, `one of ${branches.map((b) => `\`${b![0]}\``).join(", ")} is required`);
      }
      return moduleError(module, `${where} ${error.message ?? "is invalid"}`);
    }
    case "if":
      return undefined; // the failing `then` branch already says which argument is missing
    default:
      return moduleError(module, `${where} ${error.message ?? "is invalid"}`);
  }
}

/** Errors inside an anyOf/oneOf branch are summarized by the anyOf error itself. */
function insideCombinator(error: ErrorObject, all: ErrorObject[]): boolean {
  return all.some(
    (other) =>
      other !== error &&
      (other.keyword === "anyOf" || other.keyword === "oneOf") &&
      error.schemaPath.startsWith(`${other.schemaPath}/`),
  );
}

export interface ValidateOptions {
  /**
   * At load time, arguments holding a template ("{{ ... }}") are not known yet: skip the checks
   * of those values (their names, required arguments and exclusions are still checked).
   */
  deferTemplated?: boolean;
}

function holdsTemplate(value: unknown): boolean {
  return value !== undefined && /\{\{|\{%/.test(typeof value === "string" ? value : JSON.stringify(value));
}

/** Arguments this file produced and found valid, with the schema they passed (never mutated: modules only read them). */
const valid = new WeakMap<object, JsonSchema>();

/**
 * Normalizes and validates arguments for a module. Never mutates `args`. Idempotent: normalizing
 * a valid result again returns it as it is, so the executor and the module may both call it.
 */
export function normalizeModuleArgs<Args = Record<string, unknown>>(
  module: ModuleDefinition<any>,
  args: Record<string, unknown>,
  options: ValidateOptions = {},
): NormalizedArgs<Args> {
  // The executor normalizes, then the module does again: the second time has nothing left to do.
  if (valid.get(args) === module.schema) return { args: args as Args, errors: [] };
  const errors: ErrorContext[] = [];
  const copy = renameAliases(module, args, errors);
  convertBooleans(module, copy);
  const validate = validatorFor(module.schema);
  if (!validate(copy)) {
    const all = validate.errors ?? [];
    for (const e of all) {
      if (insideCombinator(e, all)) continue;
      if (options.deferTemplated && holdsTemplate(copy[argumentName(e).split(".")[0]])) continue;
      const described = describe(module, e, copy);
      if (described) errors.push(described);
    }
  }
  if (errors.length === 0 && !options.deferTemplated) valid.set(copy, module.schema);
  return { args: copy as Args, errors };
}

/** Every problem with a task's arguments, each naming the argument and how to fix it. */
export function validateModuleArgs(module: ModuleDefinition<any>, args: Record<string, unknown>, options: ValidateOptions = {}): ErrorContext[] {
  return normalizeModuleArgs(module, args, options).errors;
}
