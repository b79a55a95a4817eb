// Version comparison for the `version` test: Ansible's LooseVersion by default, semver or a
// strict dotted-number form on request.
import type semver from "semver";
import { lazyRequire } from "../lazy-require.js";
import { exprError } from "./errors.js";
import { pyStr } from "./values.js";

// semver is 49 files: loaded by the first `version(..., "semver")` test, not by every run.
const semverPackage = lazyRequire<typeof semver>("semver");

const OPERATORS: Record<string, (c: number) => boolean> = {
  "<": (c) => c < 0, lt: (c) => c < 0,
  "<=": (c) => c <= 0, le: (c) => c <= 0,
  ">": (c) => c > 0, gt: (c) => c > 0,
  ">=": (c) => c >= 0, ge: (c) => c >= 0,
  "==": (c) => c === 0, "=": (c) => c === 0, eq: (c) => c === 0,
  "!=": (c) => c !== 0, "<>": (c) => c !== 0, ne: (c) => c !== 0,
};

/** LooseVersion components: runs of digits become numbers, runs of letters stay strings. */
function looseParts(v: string): Array<number | string> {
  return (v.match(/\d+|[a-z]+/gi) ?? []).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function compareLoose(a: string, b: string): number {
  const [pa, pb] = [looseParts(a), looseParts(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    // Python 3 cannot order int against str; numbers first is the useful answer.
    if (typeof x !== typeof y) return typeof x === "number" ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

function compareStrict(a: string, b: string): number {
  const re = /^(\d+)\.(\d+)(?:\.(\d+))?(?:([ab])(\d+))?$/;
  const [ma, mb] = [re.exec(a), re.exec(b)];
  if (!ma || !mb) throw exprError(`invalid strict version '${ma ? b : a}'`);
  return compareLoose(a, b);
}

function compareSemver(a: string, b: string): number {
  const { valid, compare } = semverPackage();
  const [ca, cb] = [valid(a, { loose: true }), valid(b, { loose: true })];
  if (!ca || !cb) throw exprError(`invalid semantic version '${ca ? b : a}'`);
  return compare(ca, cb, { loose: true });
}

export function versionTest(value: unknown, other: unknown, operator: unknown, strict: unknown, versionType: unknown): boolean {
  const op = pyStr(operator ?? "eq");
  const check = Object.prototype.hasOwnProperty.call(OPERATORS, op) ? OPERATORS[op] : undefined;
  if (!check) throw exprError(`version: invalid operator '${op}'`, `use one of ${Object.keys(OPERATORS).join(" ")}`);
  const [a, b] = [pyStr(value), pyStr(other)];
  if (a === "" || b === "") throw exprError("version: cannot compare an empty version");
  const type = versionType === undefined || versionType === null ? (strict ? "strict" : "loose") : pyStr(versionType);
  const compare = type === "semver" || type === "semantic" ? compareSemver : type === "strict" ? compareStrict : compareLoose;
  if (type !== "loose" && compare === compareLoose) throw exprError(`version: unknown version_type '${type}'`);
  return check(compare(a, b));
}
