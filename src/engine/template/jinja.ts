// Jinja2 template files (`.j2`, as in Ansible roles and Kubespray) rendered by kplay's own
// expression engine: {{ }}, {% if/for/set %}, filters, trim_blocks — as Ansible's template module.
import { readFileSync } from "node:fs";
import { KplayError } from "../errors.js";
import type { Vars } from "../expr/evaluator.js";
import type { EvalOptions } from "../expr/options.js";
import { renderText } from "../expr/render.js";

/** Renders Jinja2 text; errors point at `fileName:line:column`. */
export function renderJinjaTemplateString(text: string, vars: Vars, fileName = "<template>", options: EvalOptions = {}): string {
  return renderText(text, vars, { ...options, position: { file: fileName, line: 1, column: 1 } });
}

/** Renders a Jinja2 template file (parsed templates are cached by their text). */
export function renderJinjaTemplateFile(path: string, vars: Vars, options: EvalOptions = {}): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new KplayError({ kind: "template", message: `template file not found: ${path}` });
  }
  return renderJinjaTemplateString(text, vars, path, options);
}
