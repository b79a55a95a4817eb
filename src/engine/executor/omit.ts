// Module arguments whose value is `omit` are removed before the module sees them (Ansible).
import { isOmit, isPlainObject } from "../expr/values.js";

export function stripOmitted(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((x) => !isOmit(x)).map(stripOmitted);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!isOmit(v)) out[k] = stripOmitted(v);
    return out;
  }
  return value;
}
