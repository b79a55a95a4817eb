// Ansible's rule for rendered text made of several parts: if it looks like a list, a dict or a
// boolean (`[{{ a }}, {{ b }}]`, `{% if x %}True{% else %}False{% endif %}`), it becomes one,
// as Python's ast.literal_eval would read it (JSON's true/false/null accepted too).
import type { Node } from "./ast.js";
import { parseExpression } from "./parser.js";
import { setOwn } from "./values.js";

function isLiteral(node: Node): boolean {
  switch (node.type) {
    case "literal":
      return true;
    case "name":
      return node.name === "null";
    case "list":
    case "tuple":
      return node.items.every(isLiteral);
    case "dict":
      return node.entries.every((e) => isLiteral(e.key) && isLiteral(e.value));
    case "unary":
      return node.op !== "not" && node.operand.type === "literal" && typeof node.operand.value === "number";
    default:
      return false;
  }
}

function valueOf(node: Node): unknown {
  switch (node.type) {
    case "literal":
      return node.value;
    case "name":
      return null;
    case "list":
    case "tuple":
      return node.items.map(valueOf);
    case "dict": {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) setOwn(out, String(valueOf(e.key)), valueOf(e.value));
      return out;
    }
    case "unary":
      return node.op === "-" ? -(valueOf(node.operand) as number) : valueOf(node.operand);
    default:
      return undefined;
  }
}

export function ansibleLiteral(text: string): unknown {
  if (!(text.startsWith("{") || text.startsWith("[") || text === "True" || text === "False")) return text;
  let node: Node;
  try {
    node = parseExpression({ text });
  } catch {
    return text;
  }
  return isLiteral(node) ? valueOf(node) : text;
}
