// Ctrl-C during a run: the first stops new tasks and gives the running ones a short grace to
// finish before they are cut; a second cuts them at once. Either way the recap follows and the
// exit code is 99, Ansible's "User interrupted execution" (Ansible exits at the first Ctrl-C).
// SIGTERM (systemd, CI, `kill`) cuts at once like a second Ctrl-C, and the exit code is 143 as for
// a process the signal ended: the commands kplay started are ended on the hosts, the journal is
// kept for --resume, and the recap is printed, where the default action would leave all of that.
import type { RunContext } from "./run-context.js";

/** How long running tasks may go on after the first Ctrl-C. */
export const INTERRUPT_GRACE_MS = 5_000;

/** Handles SIGINT and SIGTERM for the duration of the run; the returned function stops handling them. */
export function handleInterrupts(run: RunContext, graceMs = INTERRUPT_GRACE_MS): () => void {
  let grace: NodeJS.Timeout | undefined;
  // The reason names the signal in the cut tasks' results.
  const cut = (signal: "SIGINT" | "SIGTERM") => run.abort.abort(signal);
  const onSigint = () => {
    if (run.interrupted) return cut("SIGINT");
    run.interruption.abort();
    run.bus.emit({
      type: "warning",
      message: `interrupted: no new task starts; running tasks have ${graceMs / 1000} s to finish (Ctrl-C again stops them now)`,
    });
    grace = setTimeout(() => cut("SIGINT"), graceMs);
  };
  const onSigterm = () => {
    if (run.terminated) return;
    run.terminated = true;
    run.interruption.abort();
    run.bus.emit({ type: "warning", message: "terminated (SIGTERM): running tasks are stopped now and their commands ended on the hosts" });
    cut("SIGTERM");
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  return () => {
    clearTimeout(grace);
    process.removeListener("SIGINT", onSigint);
    process.removeListener("SIGTERM", onSigterm);
  };
}
