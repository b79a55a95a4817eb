// Every module kplay knows, by name and alias. Add a module: write src/modules/NAME.ts
// exporting a ModuleDefinition and list it here.
import type { ModuleDefinition } from "./types.js";

const modules: ModuleDefinition<any>[] = [];

const byName = new Map<string, ModuleDefinition<any>>();
for (const m of modules) {
  for (const n of [m.name, ...(m.aliases ?? [])]) {
    byName.set(n, m);
    byName.set(`ansible.builtin.${n}`, m);
  }
}

export function findModule(name: string): ModuleDefinition<any> | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return [...byName.keys()];
}
