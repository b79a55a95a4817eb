// Ansible prints results with Python's json.dumps(sort_keys=True); operators grep and diff these
// lines, so kplay reproduces the spelling exactly. (Loop items use Python's str(): expr's pyStr.)

/** json.dumps(value, sort_keys=True, ensure_ascii=False[, indent]) — ", "/": " separators on one line. */
export function pythonJson(value: unknown, indent?: number): string {
  return dump(value, indent, 0);
}

function dump(value: unknown, indent: number | undefined, depth: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  if (typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries: string[] = Array.isArray(value)
    ? value.map((v) => dump(v, indent, depth + 1))
    : Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => `${JSON.stringify(k)}: ${dump((value as Record<string, unknown>)[k], indent, depth + 1)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (entries.length === 0) return open + close;
  if (indent === undefined) return open + entries.join(", ") + close;
  const pad = " ".repeat(indent * (depth + 1));
  return `${open}\n${pad}${entries.join(`,\n${pad}`)}\n${" ".repeat(indent * depth)}${close}`;
}
