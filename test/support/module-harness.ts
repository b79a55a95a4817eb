// Runs one module against a real host the way the executor does, for module tests: arguments
// are validated first, and a module handed invalid arguments must not send a single command.
import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { SshConnection } from "../../src/engine/connection/ssh-connection.js";
import type { BecomeSpec, Connection, PutOptions, RunOptions, RunResult } from "../../src/engine/connection/types.js";
import { renderTemplateFileByExtension } from "../../src/engine/template/index.js";
import { findModule } from "../../src/modules/registry.js";
import type { ModuleContext, ModuleResult } from "../../src/modules/types.js";
import { normalizeModuleArgs } from "../../src/modules/validate-args.js";
import { specFor } from "../integration/connection/test-specs.js";
import { startHosts, type TestHost, type TestHosts } from "./hosts.js";

/** Wraps a connection and counts what goes over it, so tests can assert round trips. */
export class CountingConnection implements Connection {
  runs: string[] = [];
  puts: string[] = [];
  gets: string[] = [];
  /** Paths described without a command on the host (Connection.inspect). */
  inspected: string[] = [];
  readonly inspect?: Connection["inspect"];
  constructor(private readonly inner: Connection) {
    if (inner.inspect) {
      const inspect = inner.inspect.bind(inner);
      this.inspect = (requests) => {
        this.inspected.push(...requests.map((r) => r.path));
        return inspect(requests);
      };
    }
  }
  get host(): string {
    return this.inner.host;
  }
  get changes(): number | undefined {
    return this.inner.changes;
  }
  get calls(): number {
    return this.runs.length + this.puts.length + this.gets.length + this.inspected.length;
  }
  run(command: string, options?: RunOptions): Promise<RunResult> {
    this.runs.push(command);
    return this.inner.run(command, options);
  }
  put(content: string | Buffer, remotePath: string, options?: PutOptions): Promise<void> {
    this.puts.push(remotePath);
    return this.inner.put(content, remotePath, options);
  }
  get(remotePath: string, options?: { become?: BecomeSpec }): Promise<Buffer> {
    this.gets.push(remotePath);
    return this.inner.get(remotePath, options);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

export const FIXTURES_DIR = join(import.meta.dirname, "..", "fixtures", "modules");

export interface RunModuleOptions {
  check?: boolean;
  diff?: boolean;
  become?: BecomeSpec;
  /** Variables for templates. */
  vars?: Record<string, unknown>;
  /** Where `files/` and `templates/` are looked up (default test/fixtures/modules). */
  fixturesDir?: string;
  /** inventory_hostname (default the connection's host). */
  host?: string;
  env?: Record<string, string>;
}

/** The module's result plus what it sent to the host. */
export interface HarnessResult extends ModuleResult {
  readonly sent: { runs: string[]; puts: string[]; gets: string[]; inspected: string[] };
}

function findFileIn(dir: string) {
  return (path: string, kind: "files" | "templates"): string => {
    if (isAbsolute(path)) return path;
    const candidates = [join(dir, kind, path), join(dir, path)];
    return candidates.find((c) => existsSync(c)) ?? candidates[0];
  };
}

export async function runModule(
  conn: Connection,
  name: string,
  args: Record<string, unknown>,
  options: RunModuleOptions = {},
): Promise<HarnessResult> {
  const module = findModule(name);
  if (!module) throw new Error(`no module named ${name}`);
  const counting = new CountingConnection(conn);
  const vars = options.vars ?? {};
  const ctx: ModuleContext = {
    host: options.host ?? conn.host,
    conn: counting,
    check: options.check ?? false,
    diff: options.diff ?? false,
    ...(options.become ? { become: options.become } : {}),
    ...(options.env ? { env: options.env } : {}),
    facts: {},
    vars,
    findFile: findFileIn(options.fixturesDir ?? FIXTURES_DIR),
    renderTemplate: (localPath) => renderTemplateFileByExtension(localPath, vars),
  };
  // Valid arguments reach the module with their defaults filled in, as the executor passes them;
  // invalid ones as written, to check that the module refuses them itself.
  const { args: normalized, errors } = normalizeModuleArgs(module, args);
  const result = await module.run(ctx, errors.length > 0 ? args : normalized);
  if (errors.length > 0) {
    if (counting.calls > 0) throw new Error(`${name} sent ${counting.calls} command(s) to the host despite invalid arguments`);
    if (!result.failed) throw new Error(`${name} accepted arguments the validator rejects: ${errors.map((e) => e.message).join("; ")}`);
  }
  return { ...result, sent: { runs: counting.runs, puts: counting.puts, gets: counting.gets, inspected: counting.inspected } };
}

/** One real host for a module test file, with an SSH connection to it (started in beforeAll). */
export interface ModuleTestHost {
  readonly bed: TestHosts;
  readonly host: TestHost;
  readonly conn: SshConnection;
  /** Runs the module on the host through kplay's SSH connection. */
  run(name: string, args: Record<string, unknown>, options?: RunModuleOptions): Promise<HarnessResult>;
  /** Runs `sh -c cmd` on the host through docker exec, independent of kplay; fails the test on rc != 0. */
  sh(cmd: string): Promise<string>;
}

export function useModuleTestHost(names: string): ModuleTestHost {
  let bed: TestHosts | undefined;
  let conn: SshConnection | undefined;
  beforeAll(async () => {
    bed = await startHosts(1, { names });
    conn = new SshConnection(specFor(bed, bed.hosts[0]));
  });
  afterAll(async () => {
    await conn?.close();
    await bed?.stopAll();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the module test host is not started yet (use it inside tests)");
    return value;
  };
  return {
    get bed() {
      return ready(bed);
    },
    get host() {
      return ready(bed).hosts[0];
    },
    get conn() {
      return ready(conn);
    },
    run: (name, args, options) => runModule(ready(conn), name, args, options),
    async sh(cmd) {
      const r = await ready(bed).hosts[0].exec(cmd);
      if (r.rc !== 0) throw new Error(`host command failed (rc ${r.rc}): ${cmd}\n${r.stderr}`);
      return r.stdout;
    },
  };
}
