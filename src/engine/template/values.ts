// Moving values between the expression world and Handlebars: lazy mappings (hostvars, scopes)
// become objects whose properties resolve on access, because Handlebars reads plain properties.
import { isLazyMapping, isOmit, isUndefined, type LazyMapping } from "../expr/values.js";
import { lookupVariable, type Vars } from "../expr/evaluator.js";

/** Defines a property that computes its value on first read and then keeps it. */
function defineLazy(target: object, key: string, compute: () => unknown): void {
  let done = false;
  let value: unknown;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    },
  });
}

function lazyObject(mapping: LazyMapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of mapping.keys()) defineLazy(out, key, () => toTemplateValue(mapping.get(key)));
  return out;
}

/** A value as Handlebars should see it; Undefined and omit cannot reach a rendered file. */
export function toTemplateValue(v: unknown): unknown {
  if (isUndefined(v)) throw v.toError();
  if (isOmit(v)) return undefined;
  if (isLazyMapping(v)) return lazyObject(v);
  // e.g. `groups.etcd | map('extract', hostvars)`: a list of host scopes.
  if (Array.isArray(v) && v.some(isLazyMapping)) return v.map(toTemplateValue);
  return v;
}

/** The root context: only the names the template references, each resolved when first read. */
export function buildContext(vars: Vars, names: Iterable<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const present = isLazyMapping(vars) ? vars.has(name) : Object.prototype.hasOwnProperty.call(vars, name);
    if (present) defineLazy(out, name, () => toTemplateValue(lookupVariable(vars, name)));
  }
  return out;
}
