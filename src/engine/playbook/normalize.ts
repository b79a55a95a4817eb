// Turns keyword values as written (already type-checked by the schemas) into the model's shapes:
// conditions and tags become lists, positions are recorded.
import type { SourcePosition } from "../errors.js";
import type { CommonKeywords } from "./model.js";
import type { SourceFile, ValuePath } from "./source.js";

export function isMapping(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === "object" && !Array.isArray(value);
}

/** `when: x`, `when: [x, y]`, `when: true` → ["x", "y"] / ["true"]. */
export function conditionList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `tags: a, b` (comma separated, as Ansible splits it), `tags: [a, 1]` → ["a", "b"] / ["a", "1"]. */
export function tagList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(",").map((t) => t.trim()).filter(Boolean);
}

export function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return (Array.isArray(value) ? value : [value]).map(String);
}

const PASS_THROUGH = [
  "become", "become_user", "check_mode", "diff", "environment", "ignore_errors", "ignore_unreachable",
  "no_log", "any_errors_fatal", "run_once", "delegate_to", "throttle", "timeout", "remote_user", "connection",
] as const;

/** The keywords shared by plays, roles, blocks and tasks, as the model stores them. */
export function commonKeywords(raw: Record<string, unknown>, file: SourceFile, at: ValuePath): CommonKeywords {
  const out: Record<string, unknown> = {};
  for (const key of PASS_THROUGH) if (raw[key] !== undefined && raw[key] !== null) out[key] = raw[key];
  if (out.connection === "smart") out.connection = "ssh";
  const when = conditionList(raw.when);
  if (when) out.when = when;
  const tags = tagList(raw.tags);
  if (tags) out.tags = tags;
  if (raw.vars && typeof raw.vars === "object") out.vars = { ...(raw.vars as Record<string, unknown>) };
  const positions: Record<string, SourcePosition> = {};
  for (const key of Object.keys(raw)) positions[key] = file.position([...at, key]);
  out.positions = positions;
  return out as CommonKeywords;
}
