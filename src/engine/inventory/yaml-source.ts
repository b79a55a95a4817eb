// YAML inventories (`all: {hosts:, children:, vars:}`) as Ansible's yaml plugin reads them:
// every top-level key is a group, host keys may be ranges with a port, `vars`, `children`
// and `hosts` must be mappings (a lone string is accepted as one key).

import { KplayError, type SourcePosition } from "../errors.js";
import { expandHostPattern, HostRangeError } from "./host-range.js";
import { InventoryGraphError, type InventoryGraph } from "./inventory-graph.js";
import { plainData, type YamlFile } from "./yaml-file.js";

const SECTIONS = ["vars", "children", "hosts"];

export interface YamlSourceResult {
  errors: KplayError[];
  warnings: string[];
}

/** True when a loaded YAML value is an inventory (a mapping without a `plugin:` key). */
export function isYamlInventory(value: unknown): value is Map<unknown, unknown> {
  return value instanceof Map && value.size > 0 && !value.get("plugin");
}

export function parseYamlSource(yaml: YamlFile, graph: InventoryGraph): YamlSourceResult {
  const errors: KplayError[] = [];
  const warnings: string[] = [];
  const error = (message: string, path: unknown[], hint?: string): void => {
    const position: SourcePosition = yaml.locate(path);
    errors.push(new KplayError({ kind: "inventory", message, position, hint }));
  };
  const guarded = (path: unknown[], action: () => void): void => {
    try {
      action();
    } catch (e) {
      if (e instanceof InventoryGraphError || e instanceof HostRangeError) {
        error(e.message, path, e instanceof HostRangeError ? e.hint : undefined);
      } else throw e;
    }
  };

  const parseGroup = (name: unknown, data: unknown, path: unknown[]): string | undefined => {
    if (!(data instanceof Map || data === null || data === undefined)) {
      warnings.push(`Skipping '${String(name)}' as this is not a valid group definition`);
      return undefined;
    }
    if (typeof name !== "string") {
      error(`Invalid group name ${String(name)}: group names must be strings`, path, "enclose the name in quotation marks");
      return undefined;
    }
    const group = name;
    let added = false;
    guarded(path, () => {
      graph.addGroup(group);
      added = true;
    });
    if (!added || !(data instanceof Map)) return added ? group : undefined;

    for (const section of SECTIONS) {
      const value = data.get(section);
      if (typeof value === "string") data.set(section, new Map([[value, null]]));
      else if (data.has(section) && !(value instanceof Map || value === null)) {
        error(
          `Invalid "${section}" entry for "${group}" group, requires a dictionary, found "${Array.isArray(value) ? "list" : typeof value}" instead.`,
          [...path, section],
          section === "hosts" ? "write hosts as a mapping: `hosts: {web1: , web2: }` or one `name:` per line" : `write ${section} as a mapping of names`,
        );
        return group;
      }
    }
    for (const [key, value] of data) {
      if (!(value instanceof Map || value === null)) {
        warnings.push(`Skipping key (${String(key)}) in group (${group}) as it is not a mapping`);
        continue;
      }
      if (value === null) continue;
      if (key === "vars") {
        for (const [k, v] of value) guarded([...path, "vars", k], () => graph.setGroupVariable(group, String(k), plainData(v)));
      } else if (key === "children") {
        for (const [childName, childData] of value) {
          const child = parseGroup(childName, childData, [...path, "children", childName]);
          if (child !== undefined) guarded([...path, "children", childName], () => graph.addChild(group, child));
        }
      } else if (key === "hosts") {
        for (const [pattern, hostVars] of value) {
          const hostPath = [...path, "hosts", pattern];
          if (typeof pattern !== "string") {
            error(`Host pattern ${String(pattern)} must be a string.`, hostPath, "enclose numbers in quotation marks");
            continue;
          }
          if (!(hostVars instanceof Map || hostVars === null || hostVars === undefined)) {
            error(`Invalid data for host ${pattern}, expected a dictionary of variables`, hostPath, `write \`${pattern}: {name: value}\``);
            continue;
          }
          guarded(hostPath, () => {
            const { hosts, port } = expandHostPattern(pattern);
            for (const host of hosts) {
              graph.addHost(host, group, port);
              for (const [k, v] of hostVars ?? []) graph.setHostVariable(host, String(k), plainData(v));
            }
          });
        }
      } else {
        warnings.push(`Skipping unexpected key (${String(key)}) in group (${group}), only "vars", "children" and "hosts" are valid`);
      }
    }
    return group;
  };

  const top = yaml.value as Map<unknown, unknown>;
  for (const [name, data] of top) parseGroup(name, data, [name]);
  return { errors, warnings };
}
