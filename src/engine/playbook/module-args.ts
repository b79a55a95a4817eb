// Checks a task's module arguments against the module's own JSON Schema at load time. Only
// literal values can be checked now: anything holding a template is left for run time.
import type { ErrorContext } from "../errors.js";
import type { JsonSchema } from "../../modules/types.js";
import { pointerPath, validatorFor, valueAt } from "./schema-check.js";
import type { SourceFile, ValuePath } from "./source.js";
import { didYouMean } from "./suggest.js";

export function isTemplated(value: unknown): boolean {
  if (typeof value === "string") return /\{\{|\{%/.test(value);
  if (Array.isArray(value)) return value.some(isTemplated);
  if (value && typeof value === "object") return Object.values(value).some(isTemplated);
  return false;
}

const TRUE_WORDS = new Set(["yes", "on", "true", "1", "y"]);
const FALSE_WORDS = new Set(["no", "off", "false", "0", "n"]);

function declaredTypes(schema: JsonSchema | undefined): string[] {
  const type = schema?.type;
  return Array.isArray(type) ? type : typeof type === "string" ? [type] : [];
}

/**
 * Converts literal strings to the type the schema declares for that argument, as Ansible's
 * argument spec does: `recurse=yes` is a boolean, `mode: "0644"` stays a string where a string is
 * allowed. Only top-level arguments; templates are left alone.
 */
export function coerceArgs(schema: JsonSchema, args: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = { ...args };
  for (const [key, value] of Object.entries(args)) {
    const types = declaredTypes(properties[key]);
    if (typeof value !== "string" || isTemplated(value) || types.length === 0 || types.includes("string")) continue;
    const word = value.trim().toLowerCase();
    if (types.includes("boolean") && TRUE_WORDS.has(word)) out[key] = true;
    else if (types.includes("boolean") && FALSE_WORDS.has(word)) out[key] = false;
    else if ((types.includes("integer") || types.includes("number")) && word !== "" && Number.isFinite(Number(word))) {
      out[key] = Number(word);
    }
  }
  return out;
}

/** Errors about which keys are present hold whatever the values are; others wait for templated values. */
const KEY_SET_KEYWORDS = new Set(["required", "additionalProperties", "unevaluatedProperties", "propertyNames", "dependentRequired"]);

export function checkModuleArgs(
  moduleName: string,
  schema: JsonSchema,
  args: Record<string, unknown>,
  file: SourceFile,
  at: ValuePath,
): ErrorContext[] {
  const validate = validatorFor(schema);
  if (validate(args)) return [];
  const errors: ErrorContext[] = [];
  const seen = new Set<string>();
  for (const err of validate.errors ?? []) {
    const path = pointerPath(err.instancePath, args);
    if (!KEY_SET_KEYWORDS.has(err.keyword) && isTemplated(valueAt(args, path))) continue;
    const context = describeArgError(moduleName, schema, err.keyword, err.params, err.message, path);
    if (seen.has(context.message)) continue;
    seen.add(context.message);
    const position =
      err.keyword === "additionalProperties"
        ? file.keyPosition([...at, ...path], String(err.params.additionalProperty))
        : file.position([...at, ...path]);
    errors.push({ kind: "module-args", ...context, position });
  }
  return errors;
}

function describeArgError(
  moduleName: string,
  schema: JsonSchema,
  keyword: string,
  params: Record<string, any>,
  message: string | undefined,
  path: Array<string | number>,
): { message: string; hint?: string } {
  const where = path.length > 0 ? `argument \`${path.join(".")}\`` : "arguments";
  switch (keyword) {
    case "required":
      return { message: `module \`${moduleName}\` needs argument \`${[...path, params.missingProperty].join(".")}\`` };
    case "additionalProperties": {
      const known = Object.keys((path.length === 0 ? schema.properties : undefined) ?? {});
      return {
        message: `module \`${moduleName}\` has no argument \`${[...path, params.additionalProperty].join(".")}\``,
        hint: didYouMean(String(params.additionalProperty), known) ?? (known.length ? `arguments: ${known.join(", ")}` : undefined),
      };
    }
    case "enum":
      return { message: `module \`${moduleName}\`: ${where} must be one of ${(params.allowedValues as unknown[]).join(", ")}` };
    default:
      return { message: `module \`${moduleName}\`: ${where} ${message ?? "is not valid"}` };
  }
}
