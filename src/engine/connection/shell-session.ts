// One long-lived `sh` (over an ssh2 channel or a local child process) that runs commands one at
// a time using the framing protocol. Opening it under sudo answers the password prompt once.
import type { Readable, Writable } from "node:stream";
import { KplayError } from "../errors.js";
import { shellJoin } from "../shell-quote.js";
import { frameCommand, isTimeoutExit, newSessionToken, timeLimit } from "./framing.js";
import { MarkerReader } from "./marker-reader.js";
import type { BecomeSpec, RunOptions, RunResult } from "./types.js";

/** The process behind a shell: its three streams, a way to end it, and news of its end. */
export interface ShellStreams {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  onExit(listener: (why: string) => void): void;
  destroy(): void;
}

/** The shell ended under a pending operation; `commandSent` says whether a command may have run. */
export class ShellClosedError extends Error {
  constructor(why: string, readonly commandSent: boolean) {
    super(why);
    this.name = "ShellClosedError";
  }
}

/** Whose shell it is, for error messages. */
export interface ShellOwner {
  /** inventory_hostname. */
  host: string;
  /** The user logged in (the one sudo authenticates). */
  loginUser: string;
}

/** How long a command may overrun its own `timeout` before the shell is thrown away. */
const WATCHDOG_GRACE_MS = 10_000;

interface ShellLaunch {
  command: string;
  readyMarker: string;
  /** Written to the shell once it is started. */
  input?: string;
  prompt?: string;
}

/**
 * The command that starts a shell session, with fresh random markers. It prints the ready
 * marker once the shell (and sudo) are up, so a password prompt is never taken for a shell.
 */
function newShellLaunch(sudoUser: string | undefined): ShellLaunch {
  const readyMarker = `__kplay_ready_${newSessionToken()}__`;
  // The shell's pid follows the marker: stopRunning() ends its processes by it.
  const announce = `printf '%s %s\\n' '${readyMarker}' "$$"`;
  // The login shell execs sh, which announces itself from its input: one program fewer per host
  // than `sh -c '...; exec sh'`. sudo -S would take that input for the password, hence sh -c there.
  if (sudoUser === undefined) return { command: "exec sh", readyMarker, input: `${announce}\n` };
  const shell = shellJoin(["sh", "-c", `${announce}; exec sh`]);
  const prompt = `[kplay-sudo-${newSessionToken()}]`;
  return { command: `${shellJoin(["sudo", "-H", "-S", "-p", prompt, "-u", sudoUser, "--"])} ${shell}`, readyMarker, prompt };
}

/** Starts `command` (a POSIX sh command line) as a process whose streams the session drives. */
export type ShellStarter = (command: string) => Promise<ShellStreams>;

export class ShellSession {
  private readonly out = new MarkerReader();
  private readonly err = new MarkerReader();
  private readonly token = newSessionToken();
  private seq = 0;
  private busy = false;
  private closedWhy: string | undefined;
  private commandSent = false;
  private shellPid: number | undefined;

  /** Settles once the process or channel is really gone (its session slot is free again). */
  private readonly exited: Promise<void>;

  private constructor(private readonly streams: ShellStreams) {
    streams.stdout.on("data", (chunk: Buffer) => this.out.push(chunk));
    streams.stderr.on("data", (chunk: Buffer) => this.err.push(chunk));
    streams.stdin.on("error", (e: Error) => this.markClosed(`shell input failed: ${e.message}`));
    this.exited = new Promise((resolve) => streams.onExit((why) => {
      this.markClosed(why);
      resolve();
    }));
  }

  get alive(): boolean {
    return this.closedWhy === undefined;
  }

  /** The shell's process id on the host, known once it is ready. */
  get pid(): number | undefined {
    return this.shellPid;
  }

  /** A command is running in it now. */
  get running(): boolean {
    return this.busy;
  }

  /** Starts a shell (through sudo when `sudo` is given) and waits until it is ready. */
  static async open(start: ShellStarter, owner: ShellOwner, sudo?: BecomeSpec, timeoutMs = 30_000): Promise<ShellSession> {
    const launch = newShellLaunch(sudo?.user);
    const session = new ShellSession(await start(launch.command));
    if (launch.input !== undefined) session.streams.stdin.write(launch.input);
    const timer = setTimeout(() => session.markClosed(`no shell after ${timeoutMs} ms`), timeoutMs);
    try {
      await session.awaitReady(launch, owner, sudo);
      return session;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Waits for the ready marker, answering sudo's prompt with the password once. */
  private async awaitReady(launch: ShellLaunch, owner: ShellOwner, sudo: BecomeSpec | undefined): Promise<void> {
    const ready = this.out.until(`${launch.readyMarker} `).then(() => this.out.until("\n")).then((pid) => {
      const parsed = Number(pid.toString("utf8"));
      if (Number.isSafeInteger(parsed) && parsed > 1) this.shellPid = parsed;
      return "ready" as const;
    });
    const where = `${owner.loginUser} on ${owner.host}`;
    let passwordSent = false;
    try {
      for (;;) {
        const prompt = sudo && launch.prompt !== undefined ? this.err.until(launch.prompt).then(() => "prompt" as const) : ready;
        const event = await Promise.race([ready, prompt]);
        if (event === "ready" || !sudo) break;
        if (passwordSent || sudo.password === undefined) {
          this.close();
          throw new KplayError({
            kind: "runtime",
            host: owner.host,
            message: passwordSent ? `sudo: incorrect password for ${where}` : `sudo: a password is required for ${where}`,
            hint: passwordSent ? "check ansible_become_password (or --ask-become-pass)" : "set ansible_become_password or pass --ask-become-pass",
          });
        }
        this.streams.stdin.write(`${sudo.password}\n`);
        passwordSent = true;
      }
    } catch (e) {
      if (e instanceof KplayError) throw e;
      // What the host said instead of starting (nologin writes to stdout, sudo to stderr).
      const said = [this.out.take(), this.err.take()].map((b) => b.toString("utf8").split(launch.prompt ?? "\u0000").join("").trim())
        .filter(Boolean).join("; ");
      this.close();
      // Without a word from the host the channel itself went away: the connection layer judges that.
      if (!said) throw e;
      throw new KplayError(sudo
        ? { kind: "runtime", host: owner.host, message: `sudo -u ${sudo.user} failed for ${where}: ${said}` }
        : { kind: "connection", host: owner.host, message: `could not start a shell for ${where}: ${said}` });
    }
    this.err.cancel();
    this.err.take();
  }

  /** Runs one command; never rejects for a non-zero exit, rejects with ShellClosedError if the shell dies. */
  async run(command: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.busy) throw new Error("ShellSession.run: the shell is busy");
    if (this.closedWhy !== undefined) throw new ShellClosedError(this.closedWhy, false);
    const framed = frameCommand(this.token, ++this.seq, command, options);
    const limit = timeLimit(options);
    this.busy = true;
    const started = Date.now();
    let watchdogFired = false;
    const watchdog = limit === undefined ? undefined : setTimeout(() => {
      watchdogFired = true;
      this.markClosed("command overran its timeout and did not stop");
    }, limit + WATCHDOG_GRACE_MS);
    try {
      // Whatever arrived since the last command's markers came from its background jobs, not from this one.
      this.out.take();
      this.err.take();
      this.commandSent = true;
      this.streams.stdin.write(framed.script);
      const stdoutAndRc = (async () => {
        const stdout = await this.out.until(framed.marker);
        return { stdout, rcText: await this.out.until("\n") };
      })();
      const [{ stdout, rcText }, stderr] = await Promise.all([stdoutAndRc, this.err.until(`${framed.marker}\n`)]);
      const rc = Number.parseInt(rcText.toString("utf8"), 10);
      const timedOut = limit !== undefined && isTimeoutExit(rc) && Date.now() - started >= limit;
      return {
        rc: timedOut ? 124 : rc,
        stdout: stdout.toString("utf8"),
        stderr: stderr.toString("utf8"),
        ...(timedOut ? { timedOut } : {}),
      };
    } catch (e) {
      if (!watchdogFired) throw e;
      return { rc: 124, stdout: this.out.take().toString("utf8"), stderr: this.err.take().toString("utf8"), timedOut: true };
    } finally {
      clearTimeout(watchdog);
      this.commandSent = false;
      this.busy = false;
    }
  }

  close(): void {
    this.markClosed("closed");
  }

  /** Closes the shell and waits until the host has let it go. */
  async closeAndWait(): Promise<void> {
    this.close();
    await this.exited;
  }

  private markClosed(why: string): void {
    if (this.closedWhy !== undefined) return;
    this.closedWhy = why;
    const error = new ShellClosedError(why, this.commandSent);
    this.out.end(error);
    this.err.end(error);
    this.streams.destroy();
  }
}

/** The sudo a shell needs for `become`, or undefined when the login user already is the target user. */
export function sudoTarget(become: BecomeSpec | undefined, loginUser: string): BecomeSpec | undefined {
  if (!become) return undefined;
  const user = become.user || "root";
  return user === loginUser ? undefined : { ...become, user };
}
