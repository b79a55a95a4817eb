// What a caller can tell the evaluator besides the variables.
import type { SourcePosition } from "../errors.js";

export interface EvalOptions {
  /** Where the expression or templated string was written; errors point there. */
  position?: SourcePosition;
  /**
   * Directories a relative `lookup('file', ...)` path is tried in, first match wins. Default, as
   * Ansible: `{{ role_path }}/files`, `{{ role_path }}`, `{{ playbook_dir }}/files`,
   * `{{ playbook_dir }}` (when those variables exist), then the working directory.
   */
  searchPaths?: readonly string[];
}
