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
  dir: string;
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

  constructor(
    readonly graph: InventoryGraph,
    private readonly inventoryLayers: VarsLayer[],
    private readonly playbookLayers: VarsLayer[],
  ) {
    this.groups = graph.groups;
    this.hostNames = [...graph.hosts.keys()];
  }

  /** A host name the engine may target: in the inventory, or the implicit localhost. */
  hasHost(host: string): boolean {
    return this.graph.hosts.has(host) || LOCALHOST_NAMES.includes(host);
  }

  private sortedGroupsOf(host: string): GroupRecord[] {
    return [...this.graph.groupsOf(host)]
      .filter((g) => g !== "all")
      .map((g) => this.graph.groups.get(g)!)
      .sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private static fromLayers(layers: VarsLayer[], pick: (layer: VarsLayer) => (Vars | undefined)[]): Vars {
    return Object.assign({}, ...layers.flatMap(pick).filter((v) => v !== undefined));
  }

  hostVars(host: string): Record<string, unknown> {
    const cached = this.merged.get(host);
    if (cached) return { ...cached };
    const record = this.graph.hosts.get(host);
    if (!record && !LOCALHOST_NAMES.includes(host)) {
      throw new KplayError({ kind: "inventory", message: `host ${host} is not in the inventory` });
    }
    const groups = record ? this.sortedGroupsOf(host) : [];
    const allGroup = this.graph.groups.get("all")!;
    const groupLayer = (name: string) => (layer: VarsLayer) => [layer.groupVars.get(name)];
    const groupsLayer = (layer: VarsLayer) => groups.map((g) => layer.groupVars.get(g.name));
    const hostLayer = (layer: VarsLayer) => [layer.hostVars.get(host)];
    // The implicit localhost carries the `all` vars itself and connects locally.
    const ownVars = record ? record.vars : { ...allGroup.vars, ansible_connection: "local" };
    const vars: Vars = Object.assign(
      {},
      allGroup.vars,
      ...groups.map((g) => g.vars),
      LoadedInventory.fromLayers(this.inventoryLayers, groupLayer("all")),
      LoadedInventory.fromLayers(this.playbookLayers, groupLayer("all")),
      LoadedInventory.fromLayers(this.inventoryLayers, groupsLayer),
      LoadedInventory.fromLayers(this.playbookLayers, groupsLayer),
      ownVars,
      LoadedInventory.fromLayers(this.inventoryLayers, hostLayer),
      LoadedInventory.fromLayers(this.playbookLayers, hostLayer),
    );
    this.merged.set(host, vars);
    return { ...vars };
  }

  groupNames(host: string): string[] {
    return [...this.graph.groupsOf(host)].filter((g) => g !== "all").sort();
  }

  groupsMap(): Record<string, string[]> {
    const map: Record<string, string[]> = {};
    for (const name of this.graph.groups.keys()) map[name] = this.graph.hostsUnder(name);
    return map;
  }
}
