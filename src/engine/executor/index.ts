// The executor's entry point: runs the requested playbooks and answers with the exit code
// (0 ok, 2 a host failed, 4 a host was unreachable, 99 interrupted, 143 terminated by SIGTERM).
import PQueue from "p-queue";
import type { RunRequest } from "../../cli/run-request.js";
import { ConnectionPool } from "../connection/index.js";
import { EXIT_INVALID_INPUT, formatError, isKplayError } from "../errors.js";
import { RunJournal } from "../journal/run-journal.js";
import { createOutput } from "../output/index.js";
import type { EventBus } from "../output/events.js";
import { Connections } from "./connections.js";
import { handleInterrupts } from "./interrupt.js";
import { runPlay } from "./play.js";
import { RunContext } from "./run-context.js";

export const EXIT_OK = 0;
export const EXIT_HOST_FAILED = 2;
export const EXIT_HOST_UNREACHABLE = 4;
export const EXIT_INTERRUPTED = 99;
/** 128 + SIGTERM: what the shell reports for a process the signal ended. */
export const EXIT_TERMINATED = 143;
/** A fault of kplay itself, not of the hosts or the input. */
export const EXIT_INTERNAL_ERROR = 1;

function connectionsFor(request: RunRequest): Connections {
  const { connection, inventory } = request;
  const bastion = inventory.groups.get("bastion")?.hosts[0];
  return new Connections(
    new ConnectionPool(),
    {
      ...(connection.user !== undefined ? { user: connection.user } : {}),
      ...(connection.privateKeyFile !== undefined ? { privateKey: connection.privateKeyFile } : {}),
      ...(connection.password !== undefined ? { password: connection.password } : {}),
      timeoutSeconds: connection.timeoutSeconds,
      acceptNewHostKeys: connection.acceptNewHostKeys,
      ...(connection.sshArgs ? { sshArgs: connection.sshArgs } : {}),
    },
    bastion ? { name: bastion, vars: inventory.hostVars(bastion) } : undefined,
  );
}

export function exitCodeOf(run: RunContext): number {
  if (run.terminated) return EXIT_TERMINATED;
  if (run.interrupted) return EXIT_INTERRUPTED;
  // Ansible turns a play ended by any_errors_fatal / max_fail_percentage into "hosts failed".
  if (run.failureLimitReached) return EXIT_HOST_FAILED;
  const hosts = run.allHosts();
  if (hosts.some((h) => h.unreachable)) return EXIT_HOST_UNREACHABLE;
  if (hosts.some((h) => h.failed)) return EXIT_HOST_FAILED;
  return EXIT_OK;
}

/** Runs every play of every playbook in order; `bus` defaults to the output the request asks for. */
export async function runPlaybooks(request: RunRequest, bus: EventBus = createOutput(request.output)): Promise<number> {
  // The journal is opened first: an unsafe --resume is refused before anything runs.
  const opened = RunJournal.open(request, (message) => bus.emit({ type: "warning", message }));
  if (opened.errors.length > 0) {
    for (const e of opened.errors) bus.emit({ type: "error", message: formatError(e) });
    bus.emit({ type: "run_end", exitCode: EXIT_INVALID_INPUT });
    await bus.close();
    return EXIT_INVALID_INPUT;
  }
  const run = new RunContext(request, bus, new PQueue({ concurrency: Math.max(1, request.forks) }), connectionsFor(request));
  run.journal = opened.journal;
  if (run.journal?.plan) bus.emit({ type: "resuming", journal: run.journal.plan.from, complete: [...run.journal.plan.complete] });
  const stopHandlingInterrupts = handleInterrupts(run);
  let exitCode: number;
  let reachedEnd = false;
  try {
    reachedEnd = true;
    plays: for (const playbook of request.playbooks) {
      bus.emit({ type: "playbook_start", path: playbook.path, check: request.check });
      for (const play of playbook.plays) {
        if (run.interrupted || (await runPlay(run, play)) === "stop") {
          // Later plays did not run: no host completed the run.
          reachedEnd = false;
          break plays;
        }
      }
    }
    reachedEnd &&= !run.interrupted;
    exitCode = exitCodeOf(run);
  } catch (e) {
    // A KplayError is the user's to fix (a template in a keyword...); anything else is a bug.
    bus.emit({ type: "error", message: isKplayError(e) ? formatError(e.context) : ((e as Error).stack ?? String(e)) });
    exitCode = EXIT_INTERNAL_ERROR;
  } finally {
    stopHandlingInterrupts();
  }
  const stats = Object.fromEntries(run.allHosts().filter((h) => h.played).map((h) => [h.name, h.stats]));
  const retryFile = run.journal?.retryFile(run.allHosts(), exitCode);
  if (retryFile) bus.emit({ type: "retry_file", path: retryFile });
  bus.emit({ type: "recap", stats, interrupted: run.interrupted, ...(run.terminated ? { signal: "SIGTERM" as const } : {}) });
  await run.journal?.close(run.allHosts(), exitCode, reachedEnd && exitCode !== EXIT_INTERNAL_ERROR);
  bus.emit({ type: "run_end", exitCode });
  await Promise.all([run.connections.closeAll(), bus.close()]);
  return exitCode;
}
