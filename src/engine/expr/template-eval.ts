// Renders a parsed templated string. Statements get Jinja's scoping: `{% set %}` at the top level
// is visible to the rest of the string, inside a loop only to that iteration; loop variables and
// `loop.index` etc. shadow variables of the same name.
import { iterate } from "./access.js";
import { exprError } from "./errors.js";
import { Evaluator, lookupVariable, type Vars } from "./evaluator.js";
import { MAX_SEQUENCE_LENGTH } from "./limits.js";
import type { EvalOptions } from "./options.js";
import type { TemplateNode } from "./template-string.js";
import { isLazyMapping, mappingKeys, pyStr, truthy, type LazyMapping } from "./values.js";

/** Variables of an enclosing scope plus names bound by the template itself. */
class LocalVars implements LazyMapping {
  readonly lazyMapping = true as const;
  readonly locals = new Map<string, unknown>();
  constructor(private readonly outer: Vars) {}
  get(key: string): unknown {
    return this.locals.has(key) ? this.locals.get(key) : lookupVariable(this.outer, key);
  }
  has(key: string): boolean {
    return this.locals.has(key) || (isLazyMapping(this.outer) ? this.outer.has(key) : Object.prototype.hasOwnProperty.call(this.outer, key));
  }
  keys(): string[] {
    return [...new Set([...this.locals.keys(), ...mappingKeys(this.outer)])];
  }
}

/** Thrown errors are located by the node that was being rendered. */
export type Locate = (err: unknown, offset: number) => Error;

interface Frame {
  vars: LocalVars;
  evaluator: Evaluator;
}

export class TreeRenderer {
  /** Characters written so far; a larger output than the limit is refused. */
  private size = 0;

  constructor(
    private readonly options: EvalOptions,
    private readonly locate: Locate,
  ) {}

  render(nodes: readonly TemplateNode[], vars: Vars): string {
    const local = new LocalVars(vars);
    return this.renderBody(nodes, { vars: local, evaluator: new Evaluator(local, this.options) });
  }

  private renderBody(nodes: readonly TemplateNode[], frame: Frame): string {
    let out = "";
    for (const node of nodes) out += this.renderNode(node, frame);
    return out;
  }

  private write(text: string): string {
    this.size += text.length;
    if (this.size > MAX_SEQUENCE_LENGTH * 16) throw exprError("rendered text too large");
    return text;
  }

  private renderNode(node: TemplateNode, frame: Frame): string {
    if (node.kind === "text") return this.write(node.text);
    try {
      switch (node.kind) {
        case "expr": {
          const v = frame.evaluator.evaluate(node.node);
          // Ansible writes None as an empty string (inside lists it stays `None`).
          return this.write(v === null ? "" : pyStr(v));
        }
        case "set":
          frame.vars.locals.set(node.name, frame.evaluator.evaluate(node.value));
          return "";
        case "if": {
          const branch = node.branches.find((b) => !b.test || truthy(frame.evaluator.evaluate(b.test)));
          return branch ? this.renderBody(branch.body, frame) : "";
        }
        case "for":
          return this.renderLoop(node, frame);
      }
    } catch (e) {
      throw this.locate(e, node.start);
    }
  }

  private renderLoop(node: Extract<TemplateNode, { kind: "for" }>, frame: Frame): string {
    let items = iterate(frame.evaluator.evaluate(node.iterable));
    const bind = (vars: LocalVars, item: unknown): void => {
      if (node.targets.length === 1) {
        vars.locals.set(node.targets[0], item);
        return;
      }
      const parts = Array.isArray(item) ? item : iterate(item);
      if (parts.length !== node.targets.length) {
        throw exprError(`cannot unpack ${parts.length} values into ${node.targets.length} loop variables`);
      }
      node.targets.forEach((t, i) => vars.locals.set(t, parts[i]));
    };
    if (node.filter) {
      const filter = node.filter;
      items = items.filter((item) => {
        const vars = new LocalVars(frame.vars);
        bind(vars, item);
        return truthy(new Evaluator(vars, this.options).evaluate(filter));
      });
    }
    if (items.length === 0) return this.renderBody(node.otherwise, frame);
    let out = "";
    items.forEach((item, i) => {
      const vars = new LocalVars(frame.vars);
      bind(vars, item);
      vars.locals.set("loop", {
        index: i + 1,
        index0: i,
        revindex: items.length - i,
        revindex0: items.length - i - 1,
        first: i === 0,
        last: i === items.length - 1,
        length: items.length,
        previtem: i > 0 ? items[i - 1] : null,
        nextitem: i < items.length - 1 ? items[i + 1] : null,
      });
      out += this.renderBody(node.body, { vars, evaluator: new Evaluator(vars, this.options) });
    });
    return out;
  }
}
