// The journal's first line: what ran, from where, on which hosts, with which task definitions.
import type { Inventory } from "../inventory/model.js";
import { kplayVersion } from "../version.js";
import { JOURNAL_FORMAT, type HeaderLine } from "./format.js";
import { fingerprint, type TaskTable } from "./task-table.js";

/** Options whose value may be a secret: -e (extra vars often carry passwords), and *pass*, *secret*, *token* values. */
function secretOption(arg: string): boolean {
  const name = arg.split("=")[0];
  if (name === "-e" || name === "--extra-vars") return true;
  return /^--[\w-]*(pass|secret|token)/i.test(name) && !name.endsWith("-file");
}

/** The command line with secret values replaced by "<hidden>". */
export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (/^-e./.test(arg) && !arg.startsWith("--")) out.push("-e<hidden>");
    else if (!secretOption(arg)) out.push(arg);
    else if (arg.includes("=")) out.push(`${arg.split("=")[0]}=<hidden>`);
    else {
      out.push(arg);
      if (i + 1 < argv.length) {
        out.push("<hidden>");
        i++;
      }
    }
  }
  return out;
}

/** Host names and their inventory variables, hashed (the variables may hold passwords). */
export function inventoryFingerprint(inventory: Inventory): string {
  return fingerprint(inventory.hostNames.map((h) => [h, inventory.hostVars(h)]));
}

export interface HeaderInput {
  playbooks: string[];
  table: TaskTable;
  inventory: Inventory;
  check: boolean;
  started: Date;
  argv: readonly string[];
  cwd: string;
  resumed?: HeaderLine["resumed"];
}

export function headerLine(input: HeaderInput): HeaderLine {
  return {
    t: "header",
    format: JOURNAL_FORMAT,
    kplay: kplayVersion(),
    started: input.started.toISOString(),
    argv: redactArgv(input.argv),
    cwd: input.cwd,
    check: input.check,
    playbooks: input.playbooks,
    baseDir: input.table.baseDir,
    tasks: Object.fromEntries(input.table.byId),
    inventory: { hosts: input.inventory.hostNames, fingerprint: inventoryFingerprint(input.inventory) },
    ...(input.resumed ? { resumed: input.resumed } : {}),
  };
}
