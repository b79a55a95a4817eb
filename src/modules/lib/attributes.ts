// mode/owner/group: decide which differ (pure) and the commands that set them.
import { shellJoin } from "../../engine/shell-quote.js";
import type { PresentFile } from "./file-state.js";
import { formatMode, parseOctalMode, resolveMode } from "./mode.js";

export interface WantedAttributes {
  mode?: string | number;
  owner?: string;
  group?: string;
}

/** What is known about a path before the change; absent for a path about to be created. */
export type CurrentAttributes = Pick<PresentFile, "type" | "mode" | "uid" | "gid" | "owner" | "group">;

export interface AttributeChanges {
  path: string;
  /** Each changed attribute as [before, after]; before is "" for a path about to be created. */
  mode?: [string, string];
  owner?: [string, string];
  group?: [string, string];
  /** The path is a symbolic link: change the link itself (chown -h), never chmod it. */
  isLink: boolean;
}

/** A name or a numeric id: "root" and "0" both match uid 0 owned by root. */
function sameIdentity(wanted: string, name: string, id: number): boolean {
  return /^\d+$/.test(wanted) ? Number(wanted) === id : wanted === name;
}

/**
 * Compares wanted attributes with the current ones. `creationMode` is the mode a new path will
 * get (symbolic modes are applied to it); `isDirectory` decides what `X` means.
 */
export function planAttributes(
  path: string,
  wanted: WantedAttributes,
  current: CurrentAttributes | undefined,
  creation: { mode: number; isDirectory: boolean },
): AttributeChanges {
  const changes: AttributeChanges = { path, isLink: current?.type === "link" };
  if (wanted.mode !== undefined && current?.type !== "link") {
    const before = current ? parseOctalMode(current.mode) : creation.mode;
    const isDirectory = current ? current.type === "directory" : creation.isDirectory;
    const after = resolveMode(wanted.mode, before, isDirectory);
    if (!current || after !== before) changes.mode = [current ? current.mode : "", formatMode(after)];
  }
  if (wanted.owner !== undefined && (!current || !sameIdentity(wanted.owner, current.owner, current.uid))) {
    changes.owner = [current?.owner ?? "", wanted.owner];
  }
  if (wanted.group !== undefined && (!current || !sameIdentity(wanted.group, current.group, current.gid))) {
    changes.group = [current?.group ?? "", wanted.group];
  }
  return changes;
}

export function hasAttributeChanges(c: AttributeChanges): boolean {
  return Boolean(c.mode || c.owner || c.group);
}

/** Shell commands that apply the changes; owner first, since chown clears setuid/setgid bits. */
export function attributeCommands(c: AttributeChanges): string[] {
  const commands: string[] = [];
  const noDeref = c.isLink ? ["-h"] : [];
  if (c.owner && c.group) commands.push(shellJoin(["chown", ...noDeref, "--", `${c.owner[1]}:${c.group[1]}`, c.path]));
  else if (c.owner) commands.push(shellJoin(["chown", ...noDeref, "--", c.owner[1], c.path]));
  else if (c.group) commands.push(shellJoin(["chgrp", ...noDeref, "--", c.group[1], c.path]));
  if (c.mode) commands.push(shellJoin(["chmod", "--", c.mode[1], c.path]));
  return commands;
}

/** "mode: 0644" lines for a --diff of attributes. */
export function attributeLines(c: AttributeChanges, side: 0 | 1): string {
  return (["mode", "owner", "group"] as const)
    .filter((k) => c[k] && c[k]![side] !== "")
    .map((k) => `${k}: ${c[k]![side]}\n`)
    .join("");
}

/** One side of the changes as fields for stateDiff: `{ mode: "0644", owner: "root" }`. */
export function attributeSnapshot(c: AttributeChanges, side: 0 | 1): Record<string, string | undefined> {
  return { mode: c.mode?.[side], owner: c.owner?.[side], group: c.group?.[side] };
}
