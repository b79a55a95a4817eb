// `json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False)`, byte for byte, so that
// `kplay inventory` prints what `ansible-inventory` prints. JSON.stringify cannot: it puts
// integer-like keys first ("10" before "9" before "a") and has no key sorting.

function dumpString(s: string): string {
  return JSON.stringify(s);
}

function dumpNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "Infinity";
  if (n === -Infinity) return "-Infinity";
  return JSON.stringify(n);
}

function dump(value: unknown, indent: string, level: number): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return dumpNumber(value);
  if (typeof value === "string") return dumpString(value);
  const inner = indent.repeat(level + 1);
  const outer = indent.repeat(level);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => inner + dump(v, indent, level + 1)).join(",\n")}\n${outer}]`;
  }
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return "{}";
    const record = value as Record<string, unknown>;
    return `{\n${keys.map((k) => `${inner}${dumpString(k)}: ${dump(record[k], indent, level + 1)}`).join(",\n")}\n${outer}}`;
  }
  return dumpString(String(value));
}

export function pythonJsonDumps(value: unknown, indent = 4): string {
  return dump(value, " ".repeat(indent), 0);
}
