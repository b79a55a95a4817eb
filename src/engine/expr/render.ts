// The public entry points for evaluating expressions and rendering templated strings and values.
// Parsed expressions and templates are cached by text: the same `when:` runs on every host.
import { KplayError } from "../errors.js";
import type { Node } from "./ast.js";
import { locate, positionAt, type ExprSource } from "./errors.js";
import { Evaluator, type Vars } from "./evaluator.js";
import type { EvalOptions } from "./options.js";
import { parseExpression } from "./parser.js";
import { ansibleLiteral } from "./literal.js";
import { TreeRenderer } from "./template-eval.js";
import { hasTemplateMarkup, parseTemplateString, type ParsedTemplate } from "./template-string.js";
import { asAnsibleBooleanString, isPlainObject, isUndefined, pyStr, setOwn, truthy } from "./values.js";

const CACHE_LIMIT = 20_000;

/** A small bounded cache: cleared when full, which is rare and cheap to refill. */
class ParseCache<T> {
  private readonly map = new Map<string, T>();
  get(key: string, make: () => T): T {
    let v = this.map.get(key);
    if (v === undefined) {
      v = make();
      if (this.map.size >= CACHE_LIMIT) this.map.clear();
      this.map.set(key, v);
    }
    return v;
  }
}

const expressionCache = new ParseCache<Node>();
const templateCache = new ParseCache<ParsedTemplate>();

/** Turns anything thrown while evaluating into a KplayError that points at the source. */
function asKplayError(err: unknown, source: ExprSource, offset: number): KplayError {
  const position = positionAt(source, offset);
  if (err instanceof KplayError) return locate(err, position) as KplayError;
  const overflow = err instanceof RangeError && /call stack/i.test(err.message);
  const message = overflow ? "expression too deeply nested" : `cannot evaluate "${source.text}": ${(err as Error)?.message ?? String(err)}`;
  return new KplayError({ kind: "expression", message, position });
}

/** Parses a bare expression (the text of a `when:`), reporting syntax errors with their column. */
export function parseCached(text: string, options: EvalOptions = {}): Node {
  return expressionCache.get(text, () => parseExpression({ text, position: options.position }));
}

function templateOf(text: string, options: EvalOptions): ParsedTemplate {
  return templateCache.get(text, () => parseTemplateString({ text, position: options.position }));
}

/** Evaluates a bare expression: `groups['etcd'] | length > 0`. Returns the value with its type. */
export function evaluate(expression: string, vars: Vars, options: EvalOptions = {}): unknown {
  const source = { text: expression, position: options.position };
  try {
    return undefinedToError(new Evaluator(vars, options).evaluate(parseCached(expression, options)));
  } catch (e) {
    throw asKplayError(e, source, 0);
  }
}

/**
 * Renders "{{ a }}/conf {{ b | upper }}". A string that is exactly one `{{ expr }}` returns the
 * value with its type (a list stays a list); otherwise values are written as Python's str() does,
 * and text that reads as a list, dict or boolean becomes one (Ansible's rule, see literal.ts).
 */
export function renderString(text: string, vars: Vars, options: EvalOptions = {}): unknown {
  if (!hasTemplateMarkup(text)) return text;
  const template = parseTemplate(text, options);
  const [only] = template.nodes;
  if (template.nodes.length === 1 && only.kind === "expr") {
    try {
      return undefinedToError(new Evaluator(vars, options).evaluate(only.node));
    } catch (e) {
      throw asKplayError(e, { text, position: options.position }, only.start);
    }
  }
  return ansibleLiteral(renderNodes(template, text, vars, options));
}

/**
 * Renders a whole Jinja2 text (a `.j2` template file) to a string: like renderString, but the
 * result is always text — no type kept, no list/dict conversion — as Ansible's template module does.
 */
export function renderText(text: string, vars: Vars, options: EvalOptions = {}): string {
  return renderNodes(parseTemplate(text, options), text, vars, options);
}

function parseTemplate(text: string, options: EvalOptions): ParsedTemplate {
  try {
    return templateOf(text, options);
  } catch (e) {
    throw asKplayError(e, { text, position: options.position }, 0);
  }
}

/** Writes every node as text; errors point at their offset in `text`. */
function renderNodes(template: ParsedTemplate, text: string, vars: Vars, options: EvalOptions): string {
  const source = { text, position: options.position };
  const locate = (e: unknown, offset: number): Error => asKplayError(e, source, offset);
  const out = new TreeRenderer(options, locate).render(template.nodes, vars);
  return out + missingTrailingNewlines(text, out);
}

/** Ansible keeps the template's trailing newlines, which trim_blocks may have eaten. */
function missingTrailingNewlines(template: string, out: string): string {
  const count = (s: string): number => s.length - s.replace(/\n+$/, "").length;
  return "\n".repeat(Math.max(0, count(template) - count(out)));
}

/** A whole-value result that is Undefined fails here, naming the variable. */
function undefinedToError(v: unknown): unknown {
  if (isUndefined(v)) throw v.toError();
  return v;
}

/** Renders every string inside lists and dicts (keys too); unchanged parts keep their identity. */
export function renderValue(value: unknown, vars: Vars, options: EvalOptions = {}): unknown {
  if (typeof value === "string") return renderString(value, vars, options);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((x) => {
      const r = renderValue(x, vars, options);
      changed ||= r !== x;
      return r;
    });
    return changed ? out : value;
  }
  if (isPlainObject(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) {
      const key = hasTemplateMarkup(k) ? pyStr(renderString(k, vars, options)) : k;
      const r = renderValue(x, vars, options);
      changed ||= r !== x || key !== k;
      setOwn(out, key, r);
    }
    return changed ? out : value;
  }
  return value;
}

/** Containers already scanned: variable layers are immutable and read once per host per task. */
const templatedContainers = new WeakMap<object, boolean>();

/** True when rendering could change the value (it holds a string with template markup). */
export function isTemplated(value: unknown): boolean {
  if (typeof value === "string") return hasTemplateMarkup(value);
  if (!Array.isArray(value) && !isPlainObject(value)) return false;
  let known = templatedContainers.get(value);
  if (known === undefined) {
    known = Array.isArray(value)
      ? value.some(isTemplated)
      : Object.entries(value).some(([k, v]) => hasTemplateMarkup(k) || isTemplated(v));
    templatedContainers.set(value, known);
  }
  return known;
}

export type Condition = string | boolean | number | null | undefined;

/**
 * Evaluates `when`, `changed_when`, `failed_when`, `until`: a bare expression (a list means AND).
 * A `{{ }}`-wrapped condition is rendered first, as Ansible does; a string result is then read as
 * a boolean word ("yes", "False", ...) or, failing that, evaluated as an expression.
 */
export function evaluateCondition(condition: Condition | readonly Condition[], vars: Vars, options: EvalOptions = {}): boolean {
  if (Array.isArray(condition)) return condition.every((c) => evaluateCondition(c, vars, options));
  const c = condition as Condition;
  if (c === null || c === undefined) return true;
  if (typeof c === "boolean") return c;
  if (typeof c === "number") return c !== 0;
  const text = c.trim();
  if (text === "") return true;
  if (!hasTemplateMarkup(text)) return truthy(evaluate(text, vars, options));
  const rendered = renderString(text, vars, options);
  if (typeof rendered !== "string") return truthy(rendered);
  const word = asAnsibleBooleanString(rendered);
  return word ?? truthy(evaluate(rendered, vars, options));
}
