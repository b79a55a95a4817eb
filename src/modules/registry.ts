// Every module kplay knows, by name and alias. Add a module: write src/modules/NAME.ts
// exporting a ModuleDefinition and list it here.
import { blockinfile } from "./blockinfile.js";
import { copy } from "./copy.js";
import { fetchModule } from "./fetch.js";
import { file } from "./file.js";
import { getUrl } from "./get_url.js";
import { lineinfile } from "./lineinfile.js";
import { slurp } from "./slurp.js";
import { stat } from "./stat.js";
import { template } from "./template.js";
import { unarchive } from "./unarchive.js";
import { assertModule } from "./assert.js";
import { commandModule } from "./command.js";
import { debugModule } from "./debug.js";
import { failModule } from "./fail.js";
import { includeVarsModule } from "./include_vars.js";
import { pauseModule } from "./pause.js";
import { setFactModule } from "./set_fact.js";
import { setupModule } from "./setup.js";
import { shellModule } from "./shell.js";
import { hostname } from "./hostname.js";
import { kubectl } from "./kubectl.js";
import { modprobe } from "./modprobe.js";
import { mount } from "./mount.js";
import { aptModule, dnfModule, packageModule, yumModule } from "./package.js";
import { sysctl } from "./sysctl.js";
import { systemd } from "./systemd.js";
import { uri } from "./uri.js";
import { waitFor } from "./wait_for.js";
import type { ModuleDefinition } from "./types.js";

const modules: ModuleDefinition<any>[] = [file, copy, template, lineinfile, blockinfile, stat, slurp, fetchModule, getUrl, unarchive, commandModule, shellModule, debugModule, assertModule, setupModule, setFactModule, failModule, pauseModule, includeVarsModule,
  sysctl, modprobe, packageModule, aptModule, dnfModule, yumModule, systemd, hostname, mount, waitFor, uri, kubectl,
];

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
