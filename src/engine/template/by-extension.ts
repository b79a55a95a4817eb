// The `template` module's choice of language: Handlebars for `.hbs`/`.handlebars` files, Jinja2 for
// everything else — Ansible renders every template file as Jinja2, so Kubespray's `.j2` files (and
// templates with any other name) must keep meaning what they mean there.
import { extname } from "node:path";
import type { Vars } from "../expr/evaluator.js";
import { renderJinjaTemplateFile } from "./jinja.js";
import { renderTemplateFile } from "./render.js";

const HANDLEBARS_EXTENSIONS = new Set([".hbs", ".handlebars"]);

export function renderTemplateFileByExtension(path: string, vars: Vars): string {
  return HANDLEBARS_EXTENSIONS.has(extname(path).toLowerCase()) ? renderTemplateFile(path, vars) : renderJinjaTemplateFile(path, vars);
}
