// loadInventory: every `-i` source merged in order into one inventory. A source is an INI or
// YAML file, a directory (each file inside, in name order, as Ansible reads it), or a
// comma-separated host list (`-i 'a,b,'`). All problems are collected, none thrown.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { KplayError, type SourcePosition } from "../errors.js";
import { parseAddress } from "./address.js";
import { sortedDirEntries } from "./dir-entries.js";
import { parseIniSource } from "./ini-source.js";
import { InventoryGraph, InventoryGraphError } from "./inventory-graph.js";
import { LoadedInventory, type VarsLayer } from "./loaded-inventory.js";
import { findVarsFiles, loadVarsFiles } from "./vars-files.js";
import { loadYamlFile } from "./yaml-file.js";
import { isYamlInventory, parseYamlSource } from "./yaml-source.js";

export interface LoadInventoryOptions {
  /** Directory of the playbook: its group_vars/ and host_vars/ override the inventory's. */
  playbookDir?: string;
}

export interface InventoryLoadResult {
  inventory: LoadedInventory;
  errors: KplayError[];
  warnings: string[];
}

// Ansible's defaults for files skipped inside an inventory directory.
const IGNORED_IN_DIR = /^\.|^host_vars$|^group_vars$|^vars_plugins$|(?:\.pyc|\.pyo|\.swp|\.bak|~|\.rpm|\.md|\.txt|\.rst|\.orig|\.ini|\.cfg|\.retry)$/;
const YAML_EXTENSIONS = ["", ".yml", ".yaml", ".json"];

function isHostList(source: string): boolean {
  return source.includes(",") && !existsSync(source);
}

function addHostList(list: string, graph: InventoryGraph): void {
  for (const entry of list.split(",")) {
    const h = entry.trim();
    if (!h) continue;
    const address = parseAddress(h, false);
    const host = address?.host ?? h;
    if (!graph.hosts.has(host)) graph.addHost(host, "ungrouped", address?.port);
  }
}

/** Would `text` parse as INI on top of the groups known so far? (Without touching the graph.) */
function parsesAsIni(text: string, file: string, graph: InventoryGraph): boolean {
  const scratch = new InventoryGraph();
  for (const name of graph.groups.keys()) scratch.addGroup(name);
  return parseIniSource(text, file, scratch).length === 0;
}

/**
 * One inventory file, read as Ansible's plugins would try it: YAML when the extension allows and
 * it reads as a YAML inventory, else INI (so a `.yml` file holding INI text still works).
 */
function addFile(file: string, graph: InventoryGraph, errors: KplayError[], warnings: string[]): void {
  const text = readFileSync(file, "utf8");
  const ext = extname(file);
  const fail = (message: string, hint: string, position?: SourcePosition): void => {
    errors.push(new KplayError({ kind: "inventory", message, hint, position: position ?? { file, line: 1, column: 1 } }));
  };
  if (ext === ".toml") return fail(`TOML inventories are not supported: ${file}`, "convert it to INI or YAML");
  if (YAML_EXTENSIONS.includes(ext)) {
    const yaml = loadYamlFile(text, file);
    if (isYamlInventory(yaml.value)) {
      const result = parseYamlSource(yaml, graph);
      errors.push(...result.errors);
      warnings.push(...result.warnings);
      return;
    }
    if (yaml.value instanceof Map && yaml.value.get("plugin")) {
      return fail(
        `inventory plugins are not supported (plugin: ${String(yaml.value.get("plugin"))})`,
        "list the hosts in an INI or YAML inventory, or generate one with `ansible-inventory --list -y`",
        yaml.locate(["plugin"]),
      );
    }
    // Not YAML: INI is the last plugin Ansible tries. For a .yml name, report it in YAML terms.
    if (ext !== "" && !parsesAsIni(text, file, graph)) {
      if (yaml.errors.length > 0) errors.push(...yaml.errors);
      else fail("YAML inventory must be a mapping of group names", "start with `all:` and put `hosts:`, `children:` or `vars:` under it", yaml.locate([]));
      return;
    }
  }
  errors.push(...parseIniSource(text, file, graph));
}

function addSource(path: string, graph: InventoryGraph, errors: KplayError[], warnings: string[]): void {
  if (statSync(path).isDirectory()) {
    for (const name of sortedDirEntries(path)) {
      if (!IGNORED_IN_DIR.test(name)) addSource(join(path, name), graph, errors, warnings);
    }
  } else {
    addFile(path, graph, errors, warnings);
  }
}

function loadLayer(dir: string, graph: InventoryGraph, errors: KplayError[], warnings: string[]): VarsLayer {
  const layer: VarsLayer = { groupVars: new Map(), hostVars: new Map() };
  const collect = (sub: string, names: Iterable<string>, into: Map<string, Record<string, unknown>>): void => {
    const base = join(dir, sub);
    if (!existsSync(base)) return;
    if (!statSync(base).isDirectory()) {
      warnings.push(`Found ${sub} that is not a directory, skipping: ${base}`);
      return;
    }
    const entries = new Set(readdirSync(base));
    for (const name of names) {
      // Ansible skips entities named like absolute paths (chroot-style host names).
      if (name.startsWith("/")) continue;
      const files = findVarsFiles(base, name, entries);
      if (files.length === 0) continue;
      const loaded = loadVarsFiles(files);
      errors.push(...loaded.errors);
      into.set(name, loaded.vars);
    }
  };
  collect("group_vars", graph.groups.keys(), layer.groupVars);
  collect("host_vars", graph.hosts.keys(), layer.hostVars);
  return layer;
}

export function loadInventory(sources: string[], options: LoadInventoryOptions = {}): InventoryLoadResult {
  const graph = new InventoryGraph();
  const errors: KplayError[] = [];
  const warnings: string[] = [];
  const varsDirs: string[] = [];

  for (const source of sources) {
    if (!source) continue;
    if (isHostList(source)) {
      addHostList(source, graph);
      continue;
    }
    // Like Ansible's unfrackpath: `~` is the user's home even when the shell did not expand it.
    const path = resolve(source.replace(/^~(?=$|\/)/, homedir()));
    if (!existsSync(path)) {
      errors.push(
        new KplayError({ kind: "inventory", message: `inventory source not found: ${source}`, hint: "pass a file, a directory, or a comma-separated host list such as 'host1,'" }),
      );
      continue;
    }
    try {
      addSource(path, graph, errors, warnings);
    } catch (e) {
      // Unreadable files and directories: report them like any other bad source.
      if (!(e instanceof Error && "code" in e)) throw e;
      errors.push(new KplayError({ kind: "inventory", message: `cannot read inventory source ${source}: ${e.message}` }));
    }
    varsDirs.push(statSync(path).isDirectory() ? path : dirname(path));
  }
  try {
    graph.reconcile();
  } catch (e) {
    if (!(e instanceof InventoryGraphError)) throw e;
    errors.push(new KplayError({ kind: "inventory", message: e.message, hint: "a group cannot contain `all` or one of its own ancestors" }));
  }
  warnings.push(...graph.warnings);

  const layers = new Map<string, VarsLayer>();
  const layerFor = (dir: string): VarsLayer => {
    let layer = layers.get(dir);
    if (!layer) {
      layer = loadLayer(dir, graph, errors, warnings);
      layers.set(dir, layer);
    }
    return layer;
  };
  const inventoryLayers = varsDirs.map(layerFor);
  const playbookLayers = options.playbookDir ? [layerFor(resolve(options.playbookDir))] : [];
  return { inventory: new LoadedInventory(graph, inventoryLayers, playbookLayers), errors, warnings };
}
