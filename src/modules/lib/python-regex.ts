// Python regular expressions in module arguments (lineinfile's regexp, backrefs templates).
import { translatePythonRegex } from "../../engine/python-regex.js";
import { ModuleFailure } from "./operation.js";

/** Compiles a Python pattern; `arg` names the argument in the error when it does not compile. */
export function compilePythonRegex(pattern: string, arg: string): RegExp {
  const { source, flags } = translatePythonRegex(pattern);
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new ModuleFailure(`\`${arg}\` is not a valid regular expression: ${(e as Error).message}`);
  }
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", f: "\f", v: "\v", a: "\x07", b: "\b", "\\": "\\" };

/** Python's match.expand: `\1`, `\g<1>`, `\g<name>` and character escapes; unmatched groups are empty. */
export function expandPythonTemplate(template: string, match: RegExpExecArray): string {
  return template.replace(/\\(?:g<(\w+)>|(\d{1,2})|(.))/gs, (whole, named: string | undefined, num: string | undefined, ch: string | undefined) => {
    const group = named ?? num;
    if (group !== undefined) {
      const value = /^\d+$/.test(group) ? match[Number(group)] : match.groups?.[group];
      if (value === undefined && (/^\d+$/.test(group) ? Number(group) >= match.length : !(group in (match.groups ?? {})))) {
        throw new ModuleFailure(`backrefs: the line refers to group ${group}, which regexp does not have`);
      }
      return value ?? "";
    }
    return ESCAPES[ch!] ?? whole;
  });
}
