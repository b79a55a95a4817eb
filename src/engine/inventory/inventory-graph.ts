// The mutable host/group graph that inventory sources write into, with Ansible's rules:
// `all` and `ungrouped` always exist, a group's depth is its longest path from `all`,
// cycles are refused, and `reconcile()` puts parentless groups under `all` and lone hosts
// into `ungrouped` (and takes hosts out of it once they are in a real group).
// Like Ansible, each host keeps its own list of groups (direct ones and their ancestors),
// which is what its variables and group_names come from; it only differs from the groups'
// host lists in Ansible's own corner case, replayed here: leaving `ungrouped` also drops
// the ancestors of `ungrouped` that no other group of the host has.

export interface GroupRecord {
  name: string;
  /** Hosts listed directly in this group, in the order first added. */
  hosts: string[];
  children: string[];
  parents: string[];
  /** Vars set by the inventory source itself (INI `[g:vars]`, YAML `vars:`). */
  vars: Record<string, unknown>;
  depth: number;
  /** `ansible_group_priority`: orders groups of the same depth when merging their vars. */
  priority: number;
}

export interface HostRecord {
  name: string;
  /** Vars set by the inventory source itself (INI host line, YAML host entry, `host:port`). */
  vars: Record<string, unknown>;
}

export class InventoryGraphError extends Error {}

// Ansible's INVALID_VARIABLE_NAMES: group names should be usable as variable names.
const INVALID_GROUP_CHARS = /^\p{N}|[^\p{L}\p{N}_]/u;

export class InventoryGraph {
  readonly groups = new Map<string, GroupRecord>();
  readonly hosts = new Map<string, HostRecord>();
  readonly warnings: string[] = [];
  /** For each host, the groups that list it directly (a Set: scanning big groups would be quadratic). */
  private readonly directGroups = new Map<string, Set<string>>();
  /** For each host, Ansible's `host.groups`. */
  private readonly hostGroups = new Map<string, Set<string>>();
  /** Asked for every host added; only new parent links change it. */
  private readonly ancestorCache = new Map<string, Set<string>>();

  constructor() {
    this.addGroup("all");
    this.addGroup("ungrouped");
    this.addChild("all", "ungrouped");
  }

  private warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  addGroup(name: string): void {
    if (!name) throw new InventoryGraphError("a group name must not be empty");
    if (this.groups.has(name)) return;
    if (INVALID_GROUP_CHARS.test(name)) {
      this.warn("Invalid characters were found in group names but not replaced");
    }
    this.groups.set(name, { name, hosts: [], children: [], parents: [], vars: {}, depth: 0, priority: 1 });
  }

  private group(name: string): GroupRecord {
    const group = this.groups.get(name);
    if (!group) throw new InventoryGraphError(`Could not find group ${name} in inventory`);
    return group;
  }

  /** Adds a host (and its port, only when the host is new, as Ansible does) and optionally a group membership. */
  addHost(name: string, groupName?: string, port?: number): void {
    if (!name) throw new InventoryGraphError("a host name must not be empty");
    const group = groupName === undefined ? undefined : this.group(groupName);
    if (!this.hosts.has(name)) {
      this.hosts.set(name, { name, vars: port === undefined ? {} : { ansible_port: port } });
      this.directGroups.set(name, new Set());
      this.hostGroups.set(name, new Set());
    }
    const memberOf = this.directGroups.get(name)!;
    if (group && !memberOf.has(group.name)) {
      group.hosts.push(name);
      memberOf.add(group.name);
      const mine = this.hostGroups.get(name)!;
      for (const a of this.ancestors(group.name)) mine.add(a);
      mine.add(group.name);
    }
  }

  /** Ansible's Host.remove_group: the group, then each ancestor no remaining group descends from. */
  private leaveGroup(host: string, group: string): void {
    const mine = this.hostGroups.get(host)!;
    if (!mine.delete(group)) return;
    for (const old of this.ancestors(group)) {
      if (old === "all") continue;
      if (![...mine].some((g) => this.ancestors(g).has(old))) this.leaveGroup(host, old);
    }
  }

  /** Every group above `name` (not including it). */
  ancestors(name: string): ReadonlySet<string> {
    const cached = this.ancestorCache.get(name);
    if (cached) return cached;
    const seen = new Set<string>();
    const queue = [...this.group(name).parents];
    while (queue.length > 0) {
      const g = queue.shift()!;
      if (seen.has(g)) continue;
      seen.add(g);
      queue.push(...this.group(g).parents);
    }
    this.ancestorCache.set(name, seen);
    return seen;
  }

  addChild(parentName: string, childName: string): void {
    const parent = this.group(parentName);
    const child = this.group(childName);
    if (parent === child) throw new InventoryGraphError(`group '${parentName}' cannot be a child of itself`);
    if (parent.children.includes(childName)) return;
    if (this.ancestors(parentName).has(childName)) {
      throw new InventoryGraphError(
        `Adding group '${childName}' as child to '${parentName}' creates a recursive dependency loop.`,
      );
    }
    const before = this.ancestors(childName);
    parent.children.push(childName);
    this.deepen(child, parent.depth + 1);
    if (child.parents.includes(parentName)) return;
    child.parents.push(parentName);
    this.ancestorCache.clear();
    // Hosts below the child now also belong to the parent and the parent's ancestors.
    const gained = [...this.ancestors(parentName), parentName].filter((a) => !before.has(a));
    for (const host of this.hostsUnder(childName)) {
      const mine = this.hostGroups.get(host)!;
      for (const a of gained) mine.add(a);
    }
  }

  private deepen(group: GroupRecord, depth: number): void {
    if (group.depth >= depth) return;
    group.depth = depth;
    for (const c of group.children) this.deepen(this.group(c), depth + 1);
  }

  setGroupVariable(groupName: string, key: string, value: unknown): void {
    const group = this.group(groupName);
    if (key === "ansible_group_priority") group.priority = toPriority(value);
    else group.vars[key] = value;
  }

  setHostVariable(hostName: string, key: string, value: unknown): void {
    // Ansible looks the name up among groups first: a host named like a group gives its vars
    // to the group. Odd, but it is what every Ansible inventory with such names has meant.
    if (this.groups.has(hostName)) return this.setGroupVariable(hostName, key, value);
    const host = this.hosts.get(hostName);
    if (!host) throw new InventoryGraphError(`Could not find host ${hostName} in inventory`);
    host.vars[key] = value;
  }

  /** Groups the host is in, directly or through children, `all` included once reconciled. */
  groupsOf(host: string): ReadonlySet<string> {
    return this.hostGroups.get(host) ?? new Set();
  }

  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== "all" && this.ancestors(group.name).size === 0) this.addChild("all", group.name);
    }
    const ungrouped = this.group("ungrouped");
    const grouped = new Set<string>();
    for (const host of this.hosts.keys()) {
      const mine = this.groupsOf(host);
      if (mine.has("ungrouped")) {
        const listed = this.directGroups.get(host)!.has("ungrouped");
        if (listed && [...mine].some((g) => g !== "all" && g !== "ungrouped")) grouped.add(host);
      } else if (mine.size === 0 || (mine.size === 1 && mine.has("all"))) {
        // Ansible's add_child looks for a group of that name first: a lone host named like a
        // group puts the group, not itself, under `ungrouped`.
        if (this.groups.has(host)) this.addChild("ungrouped", host);
        else this.addHost(host, "ungrouped");
      }
    }
    // Hosts listed before any section leave `ungrouped` once a real group has them.
    ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
    for (const host of grouped) {
      this.directGroups.get(host)!.delete("ungrouped");
      this.leaveGroup(host, "ungrouped");
    }
    for (const name of this.groups.keys()) {
      if (this.hosts.has(name)) this.warn(`Found both group and host with same name: ${name}`);
    }
  }

  /** Hosts of a group and all its descendants, walking the tree level by level as Ansible does. */
  hostsUnder(name: string): string[] {
    const order: string[] = [name];
    const seen = new Set(order);
    for (let level = [name]; level.length > 0; ) {
      const next: string[] = [];
      for (const g of level) {
        for (const c of this.group(g).children) {
          if (seen.has(c)) continue;
          seen.add(c);
          next.push(c);
        }
      }
      order.push(...next);
      level = next;
    }
    const hosts = new Set<string>();
    for (const g of order) for (const h of this.group(g).hosts) hosts.add(h);
    return [...hosts];
  }
}

/** Ansible stores `ansible_group_priority` with Python's int(). */
function toPriority(value: unknown): number {
  if (typeof value === "number") return Math.trunc(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) return Number(value.trim().replace(/_/g, ""));
  throw new InventoryGraphError(`ansible_group_priority must be an integer, got ${JSON.stringify(value)}`);
}
