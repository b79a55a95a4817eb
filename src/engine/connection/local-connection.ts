// ansible_connection=local and delegate_to: localhost: the same persistent-shell contract as ssh,
// with child processes instead of channels.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { KplayError } from "../errors.js";
import { getThroughShell, putThroughShell } from "./remote-file.js";
import { ShellPool } from "./shell-pool.js";
import { ShellClosedError, ShellSession, sudoTarget, type ShellStreams } from "./shell-session.js";
import { inspectPaths } from "./inspect-paths.js";
import { localAccess } from "./local-access.js";
import type { BecomeSpec, Connection, InspectRequest, PathInfo, PutOptions, RunOptions, RunResult } from "./types.js";

const MAX_SHELLS = 4;

export class LocalConnection implements Connection {
  private readonly loginUser = userInfo().username;
  private readonly shells: ShellPool;
  private changeCount = 0;

  constructor(readonly host: string = "localhost") {
    this.shells = new ShellPool((user) => this.openShell(user), MAX_SHELLS);
  }

  get changes(): number {
    return this.changeCount;
  }

  async run(command: string, options: RunOptions = {}): Promise<RunResult> {
    this.changeCount++;
    try {
      return await this.shells.run(sudoTarget(options.become, this.loginUser), command, options);
    } catch (e) {
      if (!(e instanceof ShellClosedError)) throw e;
      throw new KplayError({ kind: "runtime", host: this.host, message: `local shell on ${this.host} failed: ${e.message}` });
    }
  }

  put(content: string | Buffer, remotePath: string, options: PutOptions = {}): Promise<void> {
    this.changeCount++;
    return putThroughShell((c, o) => this.run(c, o), this.host, content, remotePath, options);
  }

  async get(remotePath: string, options: { become?: BecomeSpec } = {}): Promise<Buffer> {
    if (sudoTarget(options.become, this.loginUser) !== undefined) {
      return getThroughShell((c, o) => this.run(c, o), this.host, remotePath, { become: options.become });
    }
    try {
      return await readFile(remotePath);
    } catch (e) {
      throw new KplayError({ kind: "runtime", host: this.host, message: `reading ${remotePath} on ${this.host} failed: ${(e as Error).message}` });
    }
  }

  inspect(requests: readonly InspectRequest[]): Promise<(PathInfo | undefined)[]> {
    return inspectPaths(localAccess, requests);
  }

  async close(): Promise<void> {
    await this.shells.stopRunning();
    this.shells.closeAll();
  }

  private openShell(sudo: BecomeSpec | undefined): Promise<ShellSession> {
    const start = async (command: string): Promise<ShellStreams> => {
      const child = spawn("sh", ["-c", command], { stdio: "pipe" });
      return {
        stdin: child.stdin,
        stdout: child.stdout,
        stderr: child.stderr,
        onExit: (listener) => {
          child.on("close", (code, signal) => listener(`local shell exited (${signal ?? `rc ${code}`})`));
          child.on("error", (e) => listener(`local shell failed: ${e.message}`));
        },
        destroy: () => {
          child.stdin.end();
          child.kill("SIGKILL");
        },
      };
    };
    return ShellSession.open(start, { host: this.host, loginUser: this.loginUser }, sudo);
  }
}
