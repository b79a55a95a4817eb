// Walks an expression tree over a set of variables. The only doors to the outside are the
// variables given, the whitelisted access in access.ts, filters, tests and global functions.
import type { CallArgs, Node } from "./ast.js";
import { getAttribute, getItem, getSlice, itemPath } from "./access.js";
import { Callable, isCallable } from "./callable.js";
import { exprError } from "./errors.js";
import { GLOBAL_FUNCTIONS, type FunctionContext } from "./functions.js";
import { binary, compare } from "./operators.js";
import type { EvalOptions } from "./options.js";
import type { PluginContext } from "./plugin-types.js";
import { findFilter, findTest } from "./plugins.js";
import {
  OMIT, Undefined, defined, isLazyMapping, pyRepr, pyStr, setOwn, truthy, typeName, type Dict, type LazyMapping,
} from "./values.js";

/** Variables an expression reads: a plain object or a lazy mapping such as a VariableScope. */
export type Vars = LazyMapping | Dict;

/** Bounds evaluation depth (long `a.b.c...` or `1+1+...` chains nest without parser recursion). */
const MAX_EVAL_DEPTH = 500;

interface Ref {
  value: unknown;
  /** How the user wrote the value, for "'x.y' is undefined". */
  path: string;
}

export function lookupVariable(vars: Vars, name: string): unknown {
  if (isLazyMapping(vars)) return vars.get(name);
  return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
}

export class Evaluator implements PluginContext, FunctionContext {
  private depth = 0;

  constructor(
    readonly vars: Vars,
    readonly options: EvalOptions = {},
  ) {}

  evaluate(node: Node): unknown {
    return this.ref(node).value;
  }

  applyFilter(name: string, input: unknown, args: unknown[] = [], kwargs: Dict = {}): unknown {
    const def = findFilter(name);
    if (!def.acceptsUndefined) {
      input = defined(input);
      args.forEach(defined);
      Object.values(kwargs).forEach(defined);
    }
    return def.fn(input, args, kwargs, this);
  }

  applyTest(name: string, input: unknown, args: unknown[] = [], kwargs: Dict = {}): boolean {
    const def = findTest(name);
    if (!def.acceptsUndefined) {
      input = defined(input);
      args.forEach(defined);
    }
    return def.fn(input, args, kwargs, this);
  }

  private name(name: string): unknown {
    const v = lookupVariable(this.vars, name);
    if (v !== undefined) return v;
    if (name === "omit") return OMIT;
    if (Object.prototype.hasOwnProperty.call(GLOBAL_FUNCTIONS, name)) {
      const fn = GLOBAL_FUNCTIONS[name];
      return new Callable(name, (args, kwargs) => fn(args, kwargs, this));
    }
    if (name === "vars") return this.vars;
    return new Undefined(name);
  }

  private ref(node: Node): Ref {
    if (++this.depth > MAX_EVAL_DEPTH) throw exprError("expression too deeply nested");
    try {
      switch (node.type) {
        case "name":
          return { value: this.name(node.name), path: node.name };
        case "attr": {
          const obj = this.ref(node.object);
          return { value: getAttribute(obj.value, node.name, obj.path), path: `${obj.path}.${node.name}` };
        }
        case "index": {
          const obj = this.ref(node.object);
          const key = this.evaluate(node.index);
          return { value: getItem(obj.value, key, obj.path), path: itemPath(obj.path, key) };
        }
        default:
          return { value: this.value(node), path: describe(node) };
      }
    } finally {
      this.depth--;
    }
  }

  private callArgs(call: CallArgs): [unknown[], Dict] {
    const args = call.args.map((a) => this.evaluate(a));
    const kwargs: Dict = {};
    for (const kw of call.kwargs) setOwn(kwargs, kw.name, this.evaluate(kw.value));
    return [args, kwargs];
  }

  private value(node: Node): unknown {
    switch (node.type) {
      case "literal":
        return node.value;
      case "list":
      case "tuple":
        return node.items.map((i) => this.evaluate(i));
      case "dict": {
        const out: Dict = {};
        for (const e of node.entries) setOwn(out, pyStr(this.evaluate(e.key)), this.evaluate(e.value));
        return out;
      }
      case "slice":
        return getSlice(
          this.evaluate(node.object),
          node.lower && this.evaluate(node.lower),
          node.upper && this.evaluate(node.upper),
          node.step && this.evaluate(node.step),
        );
      case "call": {
        const callee = this.ref(node.callee);
        const fn = defined(callee.value);
        if (!isCallable(fn)) throw exprError(`'${callee.path}' is not callable (it is a ${typeName(fn)})`);
        const [args, kwargs] = this.callArgs(node);
        return fn.call(args, kwargs);
      }
      case "filter": {
        const input = this.evaluate(node.input);
        const [args, kwargs] = this.callArgs(node);
        return this.applyFilter(node.name, input, args, kwargs);
      }
      case "test": {
        const input = this.evaluate(node.input);
        const [args, kwargs] = this.callArgs(node);
        return this.applyTest(node.name, input, args, kwargs) !== node.negated;
      }
      case "unary": {
        const v = this.evaluate(node.operand);
        if (node.op === "not") return !truthy(v);
        const n = defined(v);
        if (typeof n !== "number" && typeof n !== "boolean") throw exprError(`bad operand type for unary ${node.op}: '${typeName(n)}'`);
        return node.op === "-" ? -Number(n) : Number(n);
      }
      case "binary":
        return binary(node.op, this.evaluate(node.left), this.evaluate(node.right));
      case "logical": {
        const left = this.evaluate(node.left);
        if (node.op === "and") return truthy(left) ? this.evaluate(node.right) : left;
        return truthy(left) ? left : this.evaluate(node.right);
      }
      case "compare": {
        let left = this.evaluate(node.first);
        for (const { op, operand } of node.rest) {
          const right = this.evaluate(operand);
          if (!compare(op, left, right)) return false;
          left = right;
        }
        return true;
      }
      case "conditional":
        if (truthy(this.evaluate(node.test))) return this.evaluate(node.then);
        // Jinja gives an empty Undefined here, which Ansible renders as "".
        return node.otherwise ? this.evaluate(node.otherwise) : "";
      case "name":
      case "attr":
      case "index":
        return this.ref(node).value;
    }
  }
}

function describe(node: Node): string {
  if (node.type === "literal") return pyRepr(node.value);
  if (node.type === "call" && node.callee.type === "name") return `${node.callee.name}(...)`;
  if (node.type === "filter") return `(... | ${node.name})`;
  return "(expression)";
}
