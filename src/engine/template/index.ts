// Templates for configuration files (the `template` module): Handlebars (`.hbs`), and Jinja2
// (`.j2`, Ansible's and Kubespray's format) rendered by kplay's own expression engine.
//
//   renderTemplateFileByExtension(path, scope)  -> `.hbs`/`.handlebars`: Handlebars, anything else: Jinja2
//   renderJinjaTemplateFile("roles/etcd/templates/etcd.env.j2", scope)   -> string
//   renderTemplateFile("roles/etcd/templates/etcd.env.hbs", scope)      -> string
//   renderTemplateString("name={{inventory_hostname}}", scope, "inline.hbs")
//   checkTemplateSyntax(text, fileName)                                  -> KplayError | undefined
//
// Jinja2: the language of docs/expressions.md, output always text, None written as "".
// Handlebars: noEscape and strict: a missing variable is a KplayError "'etcd_peer_url' is undefined" at
// file:line:column. Every expression filter is a helper (`{{join servers ","}}`,
// `{{default x "y"}}`, `{{to_yaml obj}}`, `{{ipaddr cidr "net"}}`, kwargs as `key=value`), plus
// eq/ne/lt/le/gt/ge/and/or/not for conditions (`{{#if (eq a "b")}}`) next to the built-in
// if/unless/each/with/lookup. `vars` is a plain object or a LazyMapping (VariableScope): only
// the names the template mentions are resolved. Compiled templates are cached (files by mtime).
export { checkTemplateSyntax, renderTemplateFile, renderTemplateString } from "./render.js";
export { templateHelperNames } from "./helpers.js";
export { renderJinjaTemplateFile, renderJinjaTemplateString } from "./jinja.js";
export { renderTemplateFileByExtension } from "./by-extension.js";
