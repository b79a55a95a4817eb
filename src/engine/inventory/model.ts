// The inventory as the rest of the engine sees it, after every source is merged.

export interface InventoryGroup {
  name: string;
  /** Hosts listed directly in this group, in the order first seen. */
  hosts: string[];
  /** Child group names, in the order first seen. */
  children: string[];
  /** Vars set on the group in the inventory source itself (INI [g:vars], YAML vars:). */
  vars: Record<string, unknown>;
}

export interface Inventory {
  /** Every host in the order first seen across all sources (Ansible's inventory order). */
  hostNames: string[];
  groups: Map<string, InventoryGroup>;
  /** Each host's merged variables at inventory level: group vars (all < parent < child),
   * group_vars/ files, host vars, host_vars/ files, as `ansible-inventory --host` shows them. */
  hostVars(host: string): Record<string, unknown>;
  /** Groups a host belongs to, directly or through children, sorted; excludes `all` (group_names). */
  groupNames(host: string): string[];
  /** Every group name mapped to its hosts (the `groups` magic variable), `all` and `ungrouped` included. */
  groupsMap(): Record<string, string[]>;
}
