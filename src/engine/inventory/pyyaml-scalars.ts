// YAML 1.1 plain scalars resolved exactly as PyYAML's SafeLoader (Ansible's loader) does:
// `yes`/`on` are booleans but `y` is not, `0644` is octal, `1:30` is 90, `1e3` is a string
// (PyYAML floats need a dot), dates and times become Python's isoformat text.

import type { ScalarTag } from "yaml";

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)$/;

function signed(text: string): { sign: number; digits: string } {
  const clean = text.replace(/_/g, "");
  if (clean[0] === "-") return { sign: -1, digits: clean.slice(1) };
  return { sign: 1, digits: clean[0] === "+" ? clean.slice(1) : clean };
}

function sexagesimal(digits: string): number {
  return digits.split(":").reduce((acc, part) => acc * 60 + Number(part), 0);
}

function resolveInt(text: string): number {
  const { sign, digits } = signed(text);
  if (digits === "0") return 0;
  if (digits.startsWith("0b")) return sign * parseInt(digits.slice(2), 2);
  if (digits.startsWith("0x")) return sign * parseInt(digits.slice(2), 16);
  if (digits.startsWith("0")) return sign * parseInt(digits, 8);
  if (digits.includes(":")) return sign * sexagesimal(digits);
  return sign * Number(digits);
}

function resolveFloat(text: string): number {
  const { sign, digits } = signed(text.toLowerCase());
  if (digits === ".inf") return sign * Infinity;
  if (digits === ".nan") return NaN;
  if (digits.includes(":")) return sign * sexagesimal(digits);
  return sign * Number(digits);
}

const pad = (n: number | string, width = 2): string => String(n).padStart(width, "0");

/** Python's datetime.isoformat() of what PyYAML builds from a timestamp. */
function resolveTimestamp(text: string): string {
  const m = TIMESTAMP.exec(text)!;
  if (m[1]) return text;
  const [, , , , year, month, day, hour, minute, second, fraction, tz, tzSign, tzHour, tzMinute] = m;
  let iso = `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${minute}:${second}`;
  const micro = (fraction ?? "").slice(0, 6).padEnd(6, "0");
  if (fraction && Number(micro) !== 0) iso += `.${micro}`;
  if (tzSign) iso += `${tzSign}${pad(tzHour)}:${pad(tzMinute ?? "0")}`;
  else if (tz) iso += "+00:00";
  return iso;
}

const scalar = (tag: string, test: RegExp, resolve: (text: string) => unknown): ScalarTag => ({
  tag: `tag:yaml.org,2002:${tag}`,
  default: true,
  test,
  resolve,
});

export const PYYAML_SCALAR_TAGS: ScalarTag[] = [
  scalar("bool", BOOL, (t) => /^(?:yes|true|on)$/i.test(t)),
  scalar("float", FLOAT, resolveFloat),
  scalar("int", INT, resolveInt),
  scalar("null", NULL, () => null),
  scalar("timestamp", TIMESTAMP, resolveTimestamp),
  // Ansible's `!unsafe` marks text never to be templated; its value is the text itself.
  { tag: "!unsafe", resolve: (t: string) => t },
];
