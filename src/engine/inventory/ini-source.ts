// INI inventories with Ansible's exact semantics (plugins/inventory/ini.py): hosts before any
// section are `ungrouped`; `[g:children]` may name groups defined later; `[g:vars]` needs the
// group defined somewhere in the file; values are typed as Python literals. Unlike Ansible,
// which stops at the first problem, every bad line is reported.

import { closest } from "fastest-levenshtein";
import { KplayError } from "../errors.js";
import { expandHostPattern, HostRangeError } from "./host-range.js";
import { InventoryGraphError, type InventoryGraph } from "./inventory-graph.js";
import { iniValue } from "./python-literal.js";
import { ShlexError, shlexSplit } from "./shlex.js";

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/u;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/u;
const SECTION_TYPES = ["hosts", "children", "vars"];
// Python's str.splitlines() boundaries.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/;

interface Pending {
  line: number;
  state: "vars" | "children";
  parents: string[];
}

type State = "hosts" | "children" | "vars" | "skip";

export function parseIniSource(text: string, file: string, graph: InventoryGraph): KplayError[] {
  const errors: KplayError[] = [];
  const pending = new Map<string, Pending>();
  let groupName = "ungrouped";
  let state: State = "hosts";
  let lineNo = 0;
  let rawLine = "";

  const error = (message: string, hint?: string, column?: number): void => {
    const col = column ?? rawLine.length - rawLine.trimStart().length + 1;
    errors.push(new KplayError({ kind: "inventory", message, hint, position: { file, line: lineNo, column: col } }));
  };
  // Graph errors (cycles, bad priorities) belong to the line that caused them.
  const guarded = (action: () => void): void => {
    try {
      action();
    } catch (e) {
      if (e instanceof InventoryGraphError || e instanceof HostRangeError) {
        error(e.message, e instanceof HostRangeError ? e.hint : undefined);
      } else throw e;
    }
  };

  const addPendingChildren = (group: string): void => {
    const { parents } = pending.get(group)!;
    // Settled before recursing, so that a cycle of references cannot loop forever.
    pending.delete(group);
    for (const parent of parents) {
      guarded(() => graph.addChild(parent, group));
      if (pending.get(parent)?.state === "children") addPendingChildren(parent);
    }
  };

  for (rawLine of text.split(LINE_BREAK)) {
    lineNo += 1;
    const line = rawLine.trim();
    if (!line || line[0] === "#" || line[0] === ";") continue;

    const section = SECTION.exec(line);
    if (section) {
      groupName = section[1];
      const type = section[2] ?? "hosts";
      if (!SECTION_TYPES.includes(type)) {
        error(`Section [${groupName}:${type}] has unknown type: ${type}`, `did you mean \`${closest(type, SECTION_TYPES)}\`?`);
        state = "skip";
        continue;
      }
      state = type as State;
      if (!graph.groups.has(groupName)) {
        // [g:vars] alone does not declare a group: it must be declared somewhere in the file.
        if (state === "vars" && !pending.has(groupName)) pending.set(groupName, { line: lineNo, state, parents: [] });
        guarded(() => graph.addGroup(groupName));
      }
      const waiting = pending.get(groupName);
      if (waiting && state !== "vars") {
        if (waiting.state === "children") addPendingChildren(groupName);
        else pending.delete(groupName);
      }
      continue;
    }
    if (line.startsWith("[") && line.endsWith("]")) {
      error(
        `Invalid section entry: '${line}'`,
        "a section is [group], [group:children] or [group:vars], with no spaces inside the brackets",
      );
      state = "skip";
      continue;
    }

    if (state === "hosts") parseHostLine(line);
    else if (state === "vars") parseVarLine(line);
    else if (state === "children") parseChildLine(line);
  }

  for (const [name, decl] of pending) {
    lineNo = decl.line;
    rawLine = "";
    if (decl.state === "vars") {
      error(`Section [${name}:vars] not valid for undefined group: ${name}`, `declare the group with a [${name}] section (it may be empty)`);
    } else {
      error(
        `Section [${decl.parents[decl.parents.length - 1]}:children] includes undefined group: ${name}`,
        `declare the group with a [${name}] section (it may be empty)`,
      );
    }
  }
  return errors;

  function parseHostLine(line: string): void {
    let tokens: string[];
    try {
      tokens = shlexSplit(line);
    } catch (e) {
      if (!(e instanceof ShlexError)) throw e;
      error(`Error parsing host definition '${line}': ${e.message}`, "close the quote, or escape it with a backslash");
      return;
    }
    if (tokens.length === 0) return;
    const pattern = tokens[0];
    const vars: Record<string, unknown> = {};
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf("=");
      if (eq < 0) {
        const column = rawLine.indexOf(token) + 1 || undefined;
        error(
          `Expected key=value host variable assignment, got: ${token}`,
          "host variables are written name=value; quote values that contain spaces",
          column,
        );
        return;
      }
      vars[token.slice(0, eq)] = iniValue(token.slice(eq + 1));
    }
    guarded(() => {
      const { hosts, port } = expandHostPattern(pattern);
      if (pattern.trim().endsWith(":") && port === undefined) {
        error(`Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`);
        return;
      }
      if (hosts.some((h) => h.trim() === "---")) {
        error(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`, "give YAML inventories a .yml or .yaml extension");
        return;
      }
      for (const host of hosts) {
        graph.addHost(host, groupName, port);
        for (const [k, v] of Object.entries(vars)) graph.setHostVariable(host, k, v);
      }
    });
  }

  function parseVarLine(line: string): void {
    const eq = line.indexOf("=");
    if (eq < 0) {
      error(`Expected key=value, got: ${line}`, `a [${groupName}:vars] line is name=value`);
      return;
    }
    const key = line.slice(0, eq).trim();
    guarded(() => graph.setGroupVariable(groupName, key, iniValue(line.slice(eq + 1).trim())));
  }

  function parseChildLine(line: string): void {
    const m = GROUP_NAME.exec(line);
    if (!m) {
      error(`Expected group name, got: ${line}`, `a [${groupName}:children] line names one group`);
      return;
    }
    const child = m[1];
    if (graph.groups.has(child)) {
      guarded(() => graph.addChild(groupName, child));
      return;
    }
    const waiting = pending.get(child);
    if (waiting) waiting.parents.push(groupName);
    else pending.set(child, { line: lineNo, state: "children", parents: [groupName] });
  }
}
