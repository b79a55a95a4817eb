// Checks a task's arguments at load time. Module files are checked with the modules' own
// normalizer (aliases, yes/no booleans, Ansible's conversions), the one the executor runs again
// with the templated values; executor actions against their schemas here. Values holding a
// template can only be checked at run time.
import type { ErrorContext } from "../errors.js";
import type { JsonSchema, ModuleDefinition } from "../../modules/types.js";
import { normalizeModuleArgs } from "../../modules/validate-args.js";
import { pointerPath, validatorFor, valueAt } from "./schema-check.js";
import type { SourceFile, ValuePath } from "./source.js";
import { didYouMean } from "./suggest.js";

export function isTemplated(value: unknown): boolean {
  if (typeof value === "string") return /\{\{|\{%/.test(value);
  if (Array.isArray(value)) return value.some(isTemplated);
  if (value && typeof value === "object") return Object.values(value).some(isTemplated);
  return false;
}

function declaredTypes(schema: JsonSchema): string[] {
  const type = schema.type;
  return Array.isArray(type) ? type : typeof type === "string" ? [type] : [];
}

/**
 * Stands in for a templated value with a literal the schema accepts, so the check judges only
 * what is literal: which arguments are given, and the values that are written out.
 */
function placeholder(schema: JsonSchema | undefined, value: unknown): unknown {
  if (!schema || !isTemplated(value)) return value;
  if (Array.isArray(value)) return value.map((v) => placeholder(schema.items as JsonSchema | undefined, v));
  if (typeof value === "object" && value) {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const other = typeof schema.additionalProperties === "object" ? (schema.additionalProperties as JsonSchema) : undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholder(properties[k] ?? other, v)]));
  }
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ("const" in schema) return schema.const;
  const types = declaredTypes(schema);
  if (types.length === 0 || types.includes("string")) return value;
  if (types.includes("boolean")) return true;
  if (types.includes("integer") || types.includes("number")) return typeof schema.minimum === "number" ? schema.minimum : 0;
  if (types.includes("array")) return [];
  if (types.includes("object")) return {};
  return value;
}

/** The first argument a message names (`mode`), if the task gives it. */
function argumentNamed(message: string, args: Record<string, unknown>): string | undefined {
  return [...message.matchAll(/`([^`]+)`/g)].map((m) => m[1]).find((n) => n in args);
}

export function checkModuleFileArgs(
  definition: ModuleDefinition<any>,
  args: Record<string, unknown>,
  file: SourceFile,
  at: ValuePath,
): ErrorContext[] {
  const properties = (definition.schema.properties ?? {}) as Record<string, JsonSchema>;
  const literal = Object.fromEntries(Object.entries(args).map(([k, v]) => [k, placeholder(properties[k], v)]));
  return normalizeModuleArgs(definition, literal).errors.flatMap((e) => {
    const named = argumentNamed(e.message, args);
    // A placeholder cannot satisfy every rule (a pattern, a length): what is said about a
    // templated value waits for run time; an unknown argument name is wrong whatever its value.
    if (named && isTemplated(args[named]) && !e.message.includes("unknown argument")) return [];
    return [{ ...e, position: named ? file.keyPosition(at, named) : file.position(at) }];
  });
}

/** Errors about which keys are present hold whatever the values are; others wait for templated values. */
const KEY_SET_KEYWORDS = new Set(["required", "additionalProperties", "oneOf"]);

/** Arguments of executor actions (meta, include_tasks, import_role, ...). */
export function checkActionArgs(
  actionName: string,
  schema: JsonSchema,
  args: Record<string, unknown>,
  file: SourceFile,
  at: ValuePath,
): ErrorContext[] {
  const validate = validatorFor(schema);
  if (validate(args)) return [];
  const errors: ErrorContext[] = [];
  for (const err of validate.errors ?? []) {
    const path = pointerPath(err.instancePath, args);
    if (!KEY_SET_KEYWORDS.has(err.keyword) && isTemplated(valueAt(args, path))) continue;
    const where = path.length > 0 ? `argument \`${path.join(".")}\`` : "arguments";
    const known = Object.keys(schema.properties ?? {});
    let context: { message: string; hint?: string; position: ErrorContext["position"] };
    if (err.keyword === "required") {
      context = { message: `\`${actionName}\` needs argument \`${err.params.missingProperty}\``, position: file.position(at) };
    } else if (err.keyword === "additionalProperties") {
      const name = String(err.params.additionalProperty);
      context = {
        message: `\`${actionName}\` has no argument \`${name}\``,
        hint: didYouMean(name, known) ?? `arguments: ${known.join(", ")}`,
        position: file.keyPosition(at, name),
      };
    } else if (err.keyword === "enum") {
      context = { message: `\`${actionName}\`: ${where} must be one of ${(err.params.allowedValues as unknown[]).join(", ")}`, position: file.position([...at, ...path]) };
    } else {
      context = { message: `\`${actionName}\`: ${where} ${err.message ?? "is not valid"}`, position: file.position([...at, ...path]) };
    }
    errors.push({ kind: "module-args", ...context });
  }
  return errors;
}
