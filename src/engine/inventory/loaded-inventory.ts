// The Inventory the engine reads: the reconciled graph plus the group_vars/ and host_vars/
// found beside each source and the playbook, merged with Ansible's precedence (low to high):
//   `all` inventory vars < other groups' inventory vars (by depth, priority, name)
//   < group_vars/all beside the inventories < group_vars/all beside the playbook
//   < group_vars/GROUP beside the inventories < beside the playbook
//   < host inventory vars < host_vars/ beside the inventories < beside the playbook.
// Dicts replace, never merge; values stay raw (templating happens later).

import { KplayError } from "../errors.js";
import type { GroupRecord, InventoryGraph } from "./inventory-graph.js";
import type { Inventory } from "./model.js";

/** The group_vars/ and host_vars/ of one directory, already loaded. */
export interface VarsLayer {
  groupVars: Map<string, Record<string, unknown>>;
  hostVars: Map<string, Record<string, unknown>>;
}

/** Names Ansible treats as this machine when they are not in the inventory. */
export const LOCALHOST_NAMES = ["localhost", "127.0.0.1", "::1"];

type Vars = Record<string, unknown>;

export class LoadedInventory implements Inventory {
  readonly hostNames: string[];
  readonly groups: Map<string, GroupRecord>;
  private readonly merged = new Map<string, Vars>();
  // The graph no longer changes once loaded: memoize what every host lookup needs.
  private readonly groupVarsBySet = new Map<string, Vars>();
  private groupHosts?: Record<string, string[]>;

  constructor(
    private readonly graph: InventoryGraph,
    private readonly inventoryLayers: VarsLayer[],
    private readonly playbookLayers: VarsLayer[],
  ) {
    this.groups = graph.groups;
    this.hostNames = [...graph.hosts.keys()];
  }

  /** The host's groups, direct or inherited, without `all`. */
  private groupsOf(host: string): string[] {
    return [...this.graph.groupsOf(host)].filter((g) => g !== "all");
  }

  /** Groups in the order their vars apply: depth, then ansible_group_priority, then name. */
  private sortedGroups(names: Iterable<string>): GroupRecord[] {
    return [...names]
      .map((g) => this.graph.groups.get(g)!)
      .sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private static fromLayers(layers: VarsLayer[], pick: (layer: VarsLayer) => (Vars | undefined)[]): Vars {
    return Object.assign({}, ...layers.flatMap(pick).filter((v) => v !== undefined));
  }

  hostVars(host: string): Record<string, unknown> {
    const cached = this.merged.get(host);
    // Deep copies: a caller changing a nested dict must not change every later lookup.
    if (cached) return structuredClone(cached);
    const record = this.graph.hosts.get(host);
    if (!record && !LOCALHOST_NAMES.includes(host)) {
      throw new KplayError({ kind: "inventory", message: `host ${host} is not in the inventory` });
    }
    const hostLayer = (layer: VarsLayer) => [layer.hostVars.get(host)];
    // The implicit localhost (created on demand, after the inventory was reconciled) connects locally.
    const ownVars = record ? record.vars : { ansible_connection: "local" };
    const vars: Vars = Object.assign(
      {},
      this.groupVarsOf(record ? this.groupsOf(host).sort() : []),
      ownVars,
      LoadedInventory.fromLayers(this.inventoryLayers, hostLayer),
      LoadedInventory.fromLayers(this.playbookLayers, hostLayer),
    );
    this.merged.set(host, vars);
    return structuredClone(vars);
  }

  /** Everything hosts of these groups inherit, merged once per distinct set of groups. */
  private groupVarsOf(names: string[]): Vars {
    const key = names.join("\0");
    const cached = this.groupVarsBySet.get(key);
    if (cached) return cached;
    const groups = this.sortedGroups(names);
    const groupLayer = (name: string) => (layer: VarsLayer) => [layer.groupVars.get(name)];
    const groupsLayer = (layer: VarsLayer) => groups.map((g) => layer.groupVars.get(g.name));
    const vars: Vars = Object.assign(
      {},
      this.graph.groups.get("all")!.vars,
      ...groups.map((g) => g.vars),
      LoadedInventory.fromLayers(this.inventoryLayers, groupLayer("all")),
      LoadedInventory.fromLayers(this.playbookLayers, groupLayer("all")),
      LoadedInventory.fromLayers(this.inventoryLayers, groupsLayer),
      LoadedInventory.fromLayers(this.playbookLayers, groupsLayer),
    );
    this.groupVarsBySet.set(key, vars);
    return vars;
  }

  groupNames(host: string): string[] {
    return this.graph.hosts.has(host) ? this.groupsOf(host).sort() : [];
  }

  groupsMap(): Record<string, string[]> {
    if (!this.groupHosts) {
      this.groupHosts = {};
      for (const name of this.graph.groups.keys()) this.groupHosts[name] = this.graph.hostsUnder(name);
    }
    return Object.fromEntries(Object.entries(this.groupHosts).map(([g, hosts]) => [g, [...hosts]]));
  }
}
