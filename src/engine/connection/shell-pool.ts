// A few persistent shells per host, reused by every command. Each shell runs one command at a
// time; several shells let `free` strategy and async tasks overlap on one host. The cap keeps
// the channels of one SSH connection under sshd's MaxSessions (10).
import { setTimeout as sleep } from "node:timers/promises";
import PQueue from "p-queue";
import { killTreeScript } from "./process-tree.js";
import { ShellClosedError, type ShellSession } from "./shell-session.js";
import type { BecomeSpec, RunOptions, RunResult } from "./types.js";

/** How long closing a connection waits for its running commands to be ended on the host. */
const STOP_TIMEOUT_MS = 5_000;

/** Opens a shell, through sudo when `sudo` is given (undefined: as the login user). */
export type ShellOpener = (sudo: BecomeSpec | undefined) => Promise<ShellSession>;

export class ShellPool {
  private readonly queue: PQueue;
  /** Idle shells by user ("" is the login user). */
  private readonly idle = new Map<string, ShellSession[]>();
  /** Shells running a command now, with the sudo they were opened through. */
  private readonly inUse = new Map<ShellSession, BecomeSpec | undefined>();
  private openCount = 0;
  private closed = false;

  constructor(private readonly open: ShellOpener, private readonly maxShells: number) {
    this.queue = new PQueue({ concurrency: maxShells });
  }

  /** Runs `command` in a shell of `sudo.user` (or the login user); rejects with ShellClosedError if that shell dies. */
  run(sudo: BecomeSpec | undefined, command: string, options: RunOptions = {}): Promise<RunResult> {
    return this.queue.add(async () => {
      if (this.closed) throw new ShellClosedError("the connection was closed", false);
      const key = sudo?.user ?? "";
      const session = this.takeIdle(key) ?? (await this.openShell(sudo));
      this.inUse.set(session, sudo);
      try {
        return await session.run(command, options);
      } finally {
        this.inUse.delete(session);
        this.release(key, session);
      }
    });
  }

  /**
   * Ends the commands running now, with every process they started, so none lingers on the host
   * after kplay lets go of it (an interrupted run). Best effort within `timeoutMs`: the host may
   * be gone already. The killing shell is opened beyond the cap, since the busy shells may hold
   * every slot (6 shells + SFTP + one killer per user stay under sshd's MaxSessions of 10).
   * Only descendants of the busy shells are ended: a daemon a finished command started is not.
   */
  async stopRunning(timeoutMs = STOP_TIMEOUT_MS): Promise<void> {
    const byUser = new Map<string, { sudo: BecomeSpec | undefined; pids: number[] }>();
    for (const [session, sudo] of this.inUse) {
      if (!session.alive || session.pid === undefined) continue;
      const entry = byUser.get(sudo?.user ?? "") ?? { sudo, pids: [] };
      entry.pids.push(session.pid);
      byUser.set(sudo?.user ?? "", entry);
    }
    if (byUser.size === 0) return;
    const deadline = new AbortController();
    const stops = [...byUser.values()].map(async ({ sudo, pids }) => {
      const killer = await this.open(sudo);
      try {
        await killer.run(killTreeScript(pids), { timeoutMs });
      } finally {
        killer.close();
      }
    });
    await Promise.race([
      Promise.allSettled(stops),
      sleep(timeoutMs, undefined, { signal: deadline.signal }).catch(() => undefined),
    ]);
    deadline.abort();
  }

  /** Closes every idle shell; shells in use close when their command ends; later runs are refused. */
  closeAll(): void {
    this.closed = true;
    for (const sessions of this.idle.values()) {
      for (const s of sessions) s.close();
      this.openCount -= sessions.length;
    }
    this.idle.clear();
  }

  private takeIdle(key: string): ShellSession | undefined {
    const sessions = this.idle.get(key) ?? [];
    for (let s = sessions.pop(); s; s = sessions.pop()) {
      if (s.alive) return s;
      this.openCount--;
    }
    return undefined;
  }

  private async openShell(sudo: BecomeSpec | undefined): Promise<ShellSession> {
    // At the cap, an idle shell of another user makes room (this task holds one of the slots).
    if (this.openCount >= this.maxShells) await this.evictOneIdle();
    this.openCount++;
    try {
      return await this.open(sudo);
    } catch (e) {
      this.openCount--;
      throw e;
    }
  }

  /** Closes the oldest idle shell, waiting until sshd has freed its session. */
  private async evictOneIdle(): Promise<void> {
    for (const sessions of this.idle.values()) {
      const victim = sessions.shift();
      if (victim) {
        this.openCount--;
        await victim.closeAndWait();
        return;
      }
    }
  }

  private release(key: string, session: ShellSession): void {
    if (this.closed) session.close();
    if (!session.alive) {
      this.openCount--;
      return;
    }
    const sessions = this.idle.get(key) ?? [];
    sessions.push(session);
    this.idle.set(key, sessions);
  }
}
