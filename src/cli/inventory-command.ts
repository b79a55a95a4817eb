// `kplay inventory --list | --host NAME | --graph`: the text `ansible-inventory` prints for the
// same sources, so operators can diff the two. Pure: loads, formats, returns the text.

import { KplayError } from "../engine/errors.js";
import type { GroupRecord } from "../engine/inventory/inventory-graph.js";
import { loadInventory } from "../engine/inventory/load.js";
import type { LoadedInventory } from "../engine/inventory/loaded-inventory.js";
import { resolvePattern } from "../engine/inventory/pattern.js";
import { pythonJsonDumps } from "../engine/inventory/python-json.js";

export interface InventoryCommandOptions {
  inventories: string[];
  list?: boolean;
  host?: string;
  graph?: boolean;
  /** Group to draw with --graph (ansible-inventory's positional pattern); `all` by default. */
  pattern?: string;
  /** Its group_vars/ and host_vars/ apply too; ansible-inventory uses the current directory when unset. */
  playbookDir?: string;
  /** `-e` values: they win over every inventory variable, as in ansible-inventory's output. */
  extraVars?: Record<string, unknown>;
  /** Non-fatal notes (unmatched patterns, odd group names), as ansible-inventory's [WARNING] lines. */
  onWarning?: (message: string) => void;
}

const usage = (message: string, hint?: string): KplayError => new KplayError({ kind: "usage", message, hint });

/** Returns the text to print; throws an AggregateError whose `errors` are KplayErrors. */
export function inventoryCommand(opts: InventoryCommandOptions): string {
  const actions = [opts.list, opts.host !== undefined, opts.graph].filter(Boolean).length;
  if (actions !== 1) {
    const message = actions === 0 ? "No action selected" : "Conflicting options used";
    throw new AggregateError([usage(`${message}: use exactly one of --list, --host NAME or --graph`)], message);
  }
  const { inventory, errors, warnings } = loadInventory(opts.inventories, { playbookDir: opts.playbookDir ?? process.cwd() });
  if (errors.length > 0) throw new AggregateError(errors, `${errors.length} inventory error(s)`);
  warnings.forEach((w) => opts.onWarning?.(w));
  const varsOf = (host: string): Record<string, unknown> => ({ ...inventory.hostVars(host), ...opts.extraVars });

  try {
    if (opts.host !== undefined) return hostOutput(inventory, opts.host, varsOf, opts.onWarning);
    if (opts.graph) return graphOutput(inventory, opts.pattern ?? "all");
    return listOutput(inventory, varsOf);
  } catch (e) {
    if (e instanceof KplayError) throw new AggregateError([e], e.message);
    throw e;
  }
}

function hostOutput(
  inventory: LoadedInventory,
  pattern: string,
  varsOf: (host: string) => Record<string, unknown>,
  onWarning?: (message: string) => void,
): string {
  const hosts = resolvePattern(inventory, pattern, { onWarning });
  if (hosts.length !== 1) throw usage("You must pass a single valid host to --host parameter", `"${pattern}" matches ${hosts.length} hosts`);
  return pythonJsonDumps(varsOf(hosts[0]));
}

function listOutput(inventory: LoadedInventory, varsOf: (host: string) => Record<string, unknown>): string {
  const result: Record<string, unknown> = {};
  const seen = new Set<string>();
  // Children are listed even when empty; an empty group itself is left out, as Ansible does.
  const formatGroup = (group: GroupRecord): void => {
    const entry: { hosts?: string[]; children?: string[] } = {};
    if (group.name !== "all" && group.hosts.length > 0) entry.hosts = [...group.hosts];
    if (group.children.length > 0) entry.children = [...group.children];
    if (Object.keys(entry).length > 0) result[group.name] = entry;
    for (const child of group.children) {
      if (seen.has(child)) continue;
      formatGroup(inventory.groups.get(child)!);
      seen.add(child);
    }
  };
  formatGroup(inventory.groups.get("all")!);
  const hostvars: Record<string, unknown> = {};
  for (const host of inventory.groupsMap().all) {
    const vars = varsOf(host);
    if (Object.keys(vars).length > 0) hostvars[host] = vars;
  }
  result._meta = { hostvars };
  return pythonJsonDumps(result);
}

function graphOutput(inventory: LoadedInventory, start: string): string {
  const group = inventory.groups.get(start);
  if (!group) throw usage("Pattern must be valid group name when using --graph", `"${start}" is not a group`);
  const line = (name: string, depth: number): string => (depth ? `${"  |".repeat(depth)}--${name}` : name);
  const draw = (g: GroupRecord, depth: number): string[] => [
    line(`@${g.name}:`, depth),
    ...g.children.flatMap((c) => draw(inventory.groups.get(c)!, depth + 1)),
    ...(g.name === "all" ? [] : g.hosts.map((h) => line(h, depth + 1))),
  ];
  return draw(group, 0).join("\n");
}
