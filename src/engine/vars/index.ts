// Layered, lazily resolved variables.
//
//   const host = VariableScope.fromLayers([roleDefaults, groupVars, hostVars, facts, playVars, extraVars]);
//   const task = host.with(taskVars);            // cheap child; build one per host per task
//   const item = task.with({ item: x });          // per loop item
//   item.get("kube_config_dir")                  // rendered on read, cached, JS undefined if absent
//   item.render(task.args)                        // render task arguments against the scope
//   host.derive([...low, taskVars, ...high])      // layers inserted mid-precedence: reuses host's
//                                                 // cached values the inserted layers cannot change
//
// Layers are given lowest precedence first (engine.md lists the order) and are never copied or
// merged; treat them as immutable once given (for set_fact, build a new scope with one more layer).
// Mark layers holding data from hosts (facts, registered results) with unsafeLayer(layer): their
// values are never rendered, as Ansible treats them as unsafe.
// A scope is a LazyMapping, so it can be passed as `vars` to every function of ../expr, and a
// hostvars mapping can hand out other hosts' scopes. A cycle (a: "{{ b }}", b: "{{ a }}") is a
// KplayError "recursive loop detected in variable 'a': a -> b -> a".
export { VariableScope, unsafeLayer, type ScopeOptions, type VarLayer } from "./scope.js";
export { OMIT, isOmit, type LazyMapping } from "../expr/values.js";
