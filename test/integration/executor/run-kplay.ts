// Runs playbooks through the real executor, in-process, and captures what it shows: the human
// output (as a user sees it), stderr, every event, and the exit code.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { PassThrough } from "node:stream";
import type { RunRequest } from "../../../src/cli/run-request.js";
import { formatError } from "../../../src/engine/errors.js";
import { runPlaybooks } from "../../../src/engine/executor/index.js";
import { loadInventory } from "../../../src/engine/inventory/load.js";
import { createOutput, EventBus, type OutputCallback, type RunEvent } from "../../../src/engine/output/index.js";
import { loadPlaybook } from "../../../src/engine/playbook/loader.js";

export interface KplayRun {
  code: number;
  out: string;
  err: string;
  events: RunEvent[];
  dir: string;
}

export interface RunOptions {
  inventory: string;
  playbook: string;
  /** Other files beside the playbook, by relative path. */
  files?: Record<string, string>;
  request?: Partial<Omit<RunRequest, "playbooks" | "inventory">>;
  json?: boolean;
  /** Write the files into this directory (kept from an earlier run) instead of a new one. */
  dir?: string;
  /** Sees every event as it happens (to act mid-run: stop a host, interrupt). */
  onEvent?: (event: RunEvent) => void;
}

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

export async function runKplay(options: RunOptions): Promise<KplayRun> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "kplay-exec-"));
  const files = { "inventory.ini": options.inventory, "playbook.yml": options.playbook, ...options.files };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const inv = loadInventory([join(dir, "inventory.ini")], { playbookDir: dir });
  if (inv.errors.length > 0) throw new Error(inv.errors.map((e) => formatError(e.context)).join("\n"));
  const pb = loadPlaybook(join(dir, "playbook.yml"), { cwd: dir });
  if (!pb.playbook) throw new Error(pb.errors.map(formatError).join("\n"));
  const output = { verbosity: 0, json: options.json === true, profile: false, ...options.request?.output };
  const request: RunRequest = {
    inventorySources: [join(dir, "inventory.ini")],
    extraVars: {},
    tags: [],
    skipTags: [],
    check: false,
    diff: false,
    forks: 50,
    connection: { timeoutSeconds: 10, acceptNewHostKeys: false },
    become: { enabled: false },
    resume: false,
    // Each run's journal and retry file stay in its own directory.
    journal: join(dir, ".kplay", "journal.jsonl"),
    ...options.request,
    output,
    playbooks: [pb.playbook],
    inventory: inv.inventory,
  };
  const out = collector();
  const err = collector();
  const events: RunEvent[] = [];
  const recorder: OutputCallback = {
    handle: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
    close: async () => undefined,
  };
  const shown = createOutput(output, out.stream, err.stream);
  const bus = new EventBus([recorder, shown]);
  const code = await runPlaybooks(request, bus);
  return { code, out: out.text(), err: err.text(), events, dir };
}
