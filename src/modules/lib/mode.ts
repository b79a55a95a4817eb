// File modes as Ansible accepts them: octal strings ("0644", "644"), integers (YAML 1.1 octal
// literals already converted, used as-is, as Ansible does), and chmod's symbolic clauses
// ("u=rw,g=r,o=r", "u+x", "a-w", "g=u", "+X").
import { ModuleFailure } from "./operation.js";

const CLAUSE = /^([ugoa]*)([-+=])([rwxXst]*|[ugo])$/;

const WHO_BITS = { u: 0o4700, g: 0o2070, o: 0o1007 } as const;
type Who = keyof typeof WHO_BITS;

/** The bits one permission letter means for one class of users. */
function bitsFor(who: Who, perm: string, current: number, isDirectory: boolean): number {
  const shift = who === "u" ? 6 : who === "g" ? 3 : 0;
  switch (perm) {
    case "r":
      return 0o4 << shift;
    case "w":
      return 0o2 << shift;
    case "x":
      return 0o1 << shift;
    case "X":
      return isDirectory || (current & 0o111) !== 0 ? 0o1 << shift : 0;
    case "s":
      return who === "u" ? 0o4000 : who === "g" ? 0o2000 : 0;
    case "t":
      return who === "o" ? 0o1000 : 0;
    default:
      return 0;
  }
}

/** Copies another class's rwx bits (`g=u`) into `who`'s position. */
function copiedBits(who: Who, from: Who, current: number): number {
  const shiftOf = (w: Who) => (w === "u" ? 6 : w === "g" ? 3 : 0);
  return ((current >> shiftOf(from)) & 0o7) << shiftOf(who);
}

function applyClause(clause: string, current: number, isDirectory: boolean): number {
  const m = CLAUSE.exec(clause);
  if (!m) throw new ModuleFailure(`invalid symbolic mode clause \`${clause}\` (expected e.g. u=rw,g=r,o=r or u+x)`);
  const [, whoText, op, perms] = m;
  const who: Who[] = whoText === "" || whoText.includes("a") ? ["u", "g", "o"] : ([...new Set(whoText)] as Who[]);
  let mode = current;
  for (const w of who) {
    const bits = /^[ugo]$/.test(perms)
      ? copiedBits(w, perms as Who, current)
      : [...perms].reduce((acc, p) => acc | bitsFor(w, p, current, isDirectory), 0);
    if (op === "+") mode |= bits;
    else if (op === "-") mode &= ~bits;
    else mode = (mode & ~WHO_BITS[w]) | bits;
  }
  return mode;
}

/**
 * The numeric mode a `mode:` argument asks for. `current` is the existing mode (symbolic modes
 * change it); for a file that does not exist yet pass the mode it will be created with.
 */
export function resolveMode(spec: string | number, current: number, isDirectory: boolean): number {
  if (typeof spec === "number") {
    if (!Number.isInteger(spec) || spec < 0 || spec > 0o7777) throw new ModuleFailure(`invalid mode ${spec}`);
    return spec;
  }
  const text = spec.trim();
  if (/^[0-7]{1,5}$/.test(text)) {
    const value = parseInt(text, 8);
    if (value > 0o7777) throw new ModuleFailure(`invalid mode \`${spec}\`: more than four octal digits of permissions`);
    return value;
  }
  return text.split(",").reduce((mode, clause) => applyClause(clause.trim(), mode, isDirectory), current);
}

/** "0644", Ansible's display form. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}

export function parseOctalMode(text: string): number {
  return parseInt(text, 8);
}
