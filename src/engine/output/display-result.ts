// What of a module result the human output shows (Ansible's _clean_results): internal keys and
// diffs never; for debug, only its message or variable.
const DEBUG_ALLOWED = new Set(["msg", "exception", "warnings", "deprecations"]);
const HIDDEN_IN_DEBUG_VAR = ["changed", "failed", "skipped", "invocation", "skip_reason"];

export function displayResult(module: string, result: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(result)) {
    // The status words are in the line itself ("fatal: ... FAILED!"), as Ansible shows them.
    if (!k.startsWith("_") && k !== "diff" && k !== "failed" && k !== "skipped") shown[k] = v;
  }
  if (module === "debug") {
    if ("msg" in shown) {
      for (const k of Object.keys(shown)) if (!DEBUG_ALLOWED.has(k)) delete shown[k];
    } else {
      for (const k of HIDDEN_IN_DEBUG_VAR) delete shown[k];
    }
  }
  return shown;
}

/** debug and assert show their result even without -v (Ansible's _ansible_verbose_always). */
export function alwaysVerbose(result: Record<string, unknown>): boolean {
  return result._ansible_verbose_always === true;
}
