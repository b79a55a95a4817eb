// kplay's expression language: Jinja2-like, evaluated by a tree walker (never eval).
//
//   evaluate("groups['etcd'] | length > 0", vars)        -> true       (bare expression, typed)
//   renderString("{{ kube_base_dir }}/conf", vars)       -> "/etc/kubernetes/conf"
//   renderString("{{ servers }}", vars)                  -> ["a", "b"] (one {{ }} keeps the type)
//   renderValue({ dest: "{{ d }}/x", opts: ["{{ a }}"] }, vars)   (strings inside lists/dicts)
//   evaluateCondition(task.when, vars)                   -> boolean    (when/changed_when/until; a list is AND)
//   renderText(j2FileText, vars, { position })          -> string     (a whole Jinja2 template file)
//   checkExpression(text, position) / checkTemplated(value, position) -> KplayError[]  (load time)
//
// `vars` is a plain object or any LazyMapping (a VariableScope from ../vars, hostvars).
// Missing variables evaluate to Undefined: fine for `is defined` and `default`, a KplayError
// (kind "variable", "'x' is undefined") when used. `omit` evaluates to OMIT: strip arguments
// for which isOmit(value). Every error is a KplayError carrying options.position when given.
export { evaluate, evaluateCondition, isTemplated, renderString, renderText, renderValue, type Condition } from "./render.js";
export { checkExpression, checkTemplated } from "./validate.js";
export { hasTemplateMarkup } from "./template-string.js";
export { lookupVariable, type Vars } from "./evaluator.js";
export type { EvalOptions } from "./options.js";
export {
  OMIT, Undefined, ansibleBoolean, isLazyMapping, isOmit, isPlainObject, isUndefined, pyStr, truthy, type LazyMapping,
} from "./values.js";
export { filterNames, testNames } from "./plugins.js";
