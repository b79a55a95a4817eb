// Load-time checks: syntax, and that every filter and test named exists, so a typo in a role
// is reported with file:line:column before anything runs. Nothing is evaluated.
import { KplayError, type SourcePosition } from "../errors.js";
import type { Node } from "./ast.js";
import { positionAt, type ExprSource } from "./errors.js";
import { findFilter, findTest } from "./plugins.js";
import { parseCached } from "./render.js";
import { hasTemplateMarkup, parseTemplateString, type TemplateNode } from "./template-string.js";
import { isPlainObject } from "./values.js";

function children(node: Node): Node[] {
  switch (node.type) {
    case "literal":
    case "name":
      return [];
    case "list":
    case "tuple":
      return node.items;
    case "dict":
      return node.entries.flatMap((e) => [e.key, e.value]);
    case "attr":
      return [node.object];
    case "index":
      return [node.object, node.index];
    case "slice":
      return [node.object, node.lower, node.upper, node.step].filter((n): n is Node => n !== undefined);
    case "call":
      return [node.callee, ...node.args, ...node.kwargs.map((k) => k.value)];
    case "filter":
    case "test":
      return [node.input, ...node.args, ...node.kwargs.map((k) => k.value)];
    case "unary":
      return [node.operand];
    case "binary":
    case "logical":
      return [node.left, node.right];
    case "compare":
      return [node.first, ...node.rest.map((r) => r.operand)];
    case "conditional":
      return [node.test, node.then, ...(node.otherwise ? [node.otherwise] : [])];
  }
}

function checkNames(node: Node, source: ExprSource, errors: KplayError[]): void {
  if (node.type === "filter" || node.type === "test") {
    try {
      if (node.type === "filter") findFilter(node.name);
      else findTest(node.name);
    } catch (e) {
      const ctx = (e as KplayError).context;
      errors.push(new KplayError({ ...ctx, position: positionAt(source, node.start) }));
    }
  }
  for (const child of children(node)) checkNames(child, source, errors);
}

function checkTree(nodes: readonly TemplateNode[], source: ExprSource, errors: KplayError[]): void {
  for (const n of nodes) {
    switch (n.kind) {
      case "expr":
        checkNames(n.node, source, errors);
        break;
      case "set":
        checkNames(n.value, source, errors);
        break;
      case "if":
        for (const b of n.branches) {
          if (b.test) checkNames(b.test, source, errors);
          checkTree(b.body, source, errors);
        }
        break;
      case "for":
        checkNames(n.iterable, source, errors);
        if (n.filter) checkNames(n.filter, source, errors);
        checkTree(n.body, source, errors);
        checkTree(n.otherwise, source, errors);
        break;
    }
  }
}

function asErrors(e: unknown): KplayError[] {
  if (e instanceof KplayError) return [e];
  throw e;
}

/** Checks a bare expression (`when:`, `until:`); returns every problem found, empty when fine. */
export function checkExpression(text: string, position?: SourcePosition): KplayError[] {
  const source = { text, position };
  try {
    const errors: KplayError[] = [];
    checkNames(parseCached(text, { position }), source, errors);
    return errors;
  } catch (e) {
    return asErrors(e);
  }
}

/** Checks every templated string inside a value (task args, vars). */
export function checkTemplated(value: unknown, position?: SourcePosition): KplayError[] {
  if (typeof value === "string") {
    if (!hasTemplateMarkup(value)) return [];
    const source = { text: value, position };
    try {
      const errors: KplayError[] = [];
      checkTree(parseTemplateString(source).nodes, source, errors);
      return errors;
    } catch (e) {
      return asErrors(e);
    }
  }
  if (Array.isArray(value)) return value.flatMap((v) => checkTemplated(v, position));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => [...checkTemplated(k, position), ...checkTemplated(v, position)]);
  return [];
}
