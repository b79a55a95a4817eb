// What a caller can tell the evaluator besides the variables.
import type { SourcePosition } from "../errors.js";

export interface EvalOptions {
  /** Where the expression or templated string was written; errors point there. */
  position?: SourcePosition;
  /** Directory relative paths in `lookup('file', ...)` start from (default: the working directory). */
  baseDir?: string;
}
