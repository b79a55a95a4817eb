// One ajv instance for playbook keywords and executor actions' arguments; its errors become
// KplayErrors positioned on the offending value.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { ErrorContext } from "../errors.js";
import type { JsonSchema } from "../../modules/types.js";
import { UNSUPPORTED_KEYWORDS } from "./schemas.js";
import type { SourceFile, ValuePath } from "./source.js";
import { didYouMean } from "./suggest.js";

/**
 * Compiling is most of ajv's cost at start-up, so it is kept small: the schemas are kplay's own
 * (test/unit/playbook/schemas.test.ts checks them against the JSON Schema meta-schema, so they
 * are not re-checked on every run) and the generated code skips ajv's optimizing passes, which
 * halve the compile time and change nothing the validator answers.
 */
const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { optimize: false } });
// Annotation only: the words used in error messages.
ajv.addKeyword({ keyword: "expect", schemaType: "string" });

const compiled = new WeakMap<JsonSchema, ValidateFunction>();

export function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** JSON pointer `/a/0/b` → ["a", 0, "b"] (numbers index lists). */
export function pointerPath(pointer: string, value: unknown): Array<string | number> {
  const path: Array<string | number> = [];
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path.push(Array.isArray(valueAt(value, path)) ? Number(part) : part);
  }
  return path;
}

export function valueAt(value: unknown, path: ValuePath): unknown {
  let node = value;
  for (const key of path) node = node && typeof node === "object" ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Checks the keywords of one play/block/task/role entry; one error per wrong keyword, saying what
 * it expects in words. Unknown keywords are not this function's business.
 */
export function checkKeywords(
  schema: JsonSchema,
  value: Record<string, unknown>,
  file: SourceFile,
  at: ValuePath,
  what: string,
): ErrorContext[] {
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  const properties = schema.properties as Record<string, JsonSchema>;
  const byKeyword = new Map<string, ErrorObject>();
  for (const err of validate.errors ?? []) {
    const keyword = err.keyword === "required" ? String(err.params.missingProperty) : pointerPath(err.instancePath, value)[0];
    if (keyword !== undefined && !byKeyword.has(String(keyword))) byKeyword.set(String(keyword), err);
  }
  return [...byKeyword].map(([keyword, err]): ErrorContext => {
    if (err.keyword === "required") {
      return { kind: "playbook", message: `${what} has no \`${keyword}\``, position: file.position(at) };
    }
    const expect = properties[keyword]?.expect as string | undefined;
    const path = pointerPath(err.instancePath, value);
    const problem = expect ? `must be ${expect}` : (err.message ?? "is not valid");
    return {
      kind: "playbook",
      message: `\`${keyword}\` ${problem}, not ${describe(valueAt(value, path))}`,
      position: file.position([...at, ...path]),
    };
  });
}

/** Why `key` is not accepted: an Ansible keyword kplay refuses (with the reason), or an unknown one (with a suggestion). */
export function keywordError(key: string, file: SourceFile, at: ValuePath, known: readonly string[], what: string): ErrorContext {
  const position = file.keyPosition(at, key);
  if (key in UNSUPPORTED_KEYWORDS) {
    return { kind: "playbook", message: `keyword \`${key}\` is not supported by kplay`, hint: UNSUPPORTED_KEYWORDS[key], position };
  }
  return { kind: "playbook", message: `unknown keyword \`${key}\` in ${what}`, hint: didYouMean(key, known), position };
}

/** Every key of `raw` that is not a keyword of this kind of object. */
export function unknownKeys(
  raw: Record<string, unknown>,
  file: SourceFile,
  at: ValuePath,
  known: readonly string[],
  what: string,
): ErrorContext[] {
  return Object.keys(raw)
    .filter((key) => !known.includes(key))
    .map((key) => keywordError(key, file, at, known, what));
}
