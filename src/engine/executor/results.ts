// Shaping task results: status for output and stats, loop aggregation, no_log censoring.
import type { HostStatus } from "../output/events.js";

export type TaskResult = Record<string, unknown> & { changed?: boolean; failed?: boolean; skipped?: boolean; unreachable?: boolean };

export const NO_LOG_MESSAGE = "the output has been hidden due to the fact that 'no_log: true' was specified for this result";

export function statusOf(r: TaskResult): HostStatus {
  if (r.unreachable) return "unreachable";
  if (r.failed) return "failed";
  if (r.skipped) return "skipped";
  return r.changed ? "changed" : "ok";
}

export function skippedResult(): TaskResult {
  return { changed: false, skipped: true, skip_reason: "Conditional result was False" };
}

/** What `register` holds for a loop and how the host's task ends (Ansible's loop rules). */
export function loopResult(results: TaskResult[]): TaskResult {
  const out: TaskResult = { changed: results.some((r) => r.changed === true), results };
  if (results.some((r) => r.failed)) {
    out.failed = true;
    out.msg = "One or more items failed";
  } else if (results.length === 0 || results.every((r) => r.skipped)) {
    out.skipped = true;
    out.msg = results.length === 0 ? "No items in the list" : "All items skipped";
    if (results.length === 0) out.skipped_reason = "No items in the list";
  } else {
    out.msg = "All items completed";
  }
  return out;
}

/**
 * The result as output and logs may show it under no_log: values hidden, but a failure still
 * says that it failed and, when the module gave one, why (an operator must know what broke).
 */
export function censored(r: TaskResult): TaskResult {
  const out: TaskResult = { censored: NO_LOG_MESSAGE, changed: r.changed === true };
  for (const key of ["failed", "skipped", "unreachable"] as const) if (r[key]) out[key] = true;
  if (r.failed || r.unreachable) {
    if (typeof r.msg === "string") out.msg = r.msg;
    if (typeof r.rc === "number") out.rc = r.rc;
  }
  if (Array.isArray(r.results)) out.results = r.results.map((x) => censored(x as TaskResult));
  return out;
}
