// One host over SSH: one ssh2 connection reused by every task, a small pool of persistent
// shells per (host, become user), one SFTP channel. Reconnects once when the link dropped
// between commands (the host restarted).
import type { Duplex } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Client, ClientChannel, SFTPWrapper } from "ssh2";
import { isKplayError, KplayError } from "../errors.js";
import { tempPathBeside } from "../atomic-file.js";
import { getThroughShell, installCommand, putThroughShell } from "./remote-file.js";
import { openSshClient, type SshClientOptions } from "./ssh-client.js";
import { ShellPool } from "./shell-pool.js";
import { ShellClosedError, ShellSession, sudoTarget, type ShellStreams } from "./shell-session.js";
import { inspectPaths } from "./inspect-paths.js";
import { sftpAccess } from "./sftp-access.js";
import type { BecomeSpec, Connection, ConnectionSpec, InspectRequest, PathInfo, PutOptions, RunOptions, RunResult } from "./types.js";

export interface SshConnectionOptions extends Omit<SshClientOptions, "tunnel"> {
  /** The connection to `spec.jump`, shared by every host behind it; made privately when absent. */
  via?: SshConnection;
  /** Persistent shells per connection (sshd allows 10 sessions; SFTP takes one). Default 6. */
  maxShells?: number;
}

/** The SFTP status "Failure": the protocol's catch-all, without the errno behind it. */
const SSH_FX_FAILURE = 4;

interface Live {
  client: Client;
  /** The host answered a channel request (see openSshClient). */
  served: () => void;
  shells: ShellPool;
  sftp?: Promise<SFTPWrapper>;
  closedWhy?: string;
}

export class SshConnection implements Connection {
  readonly host: string;
  private handshakeCount = 0;
  private current: Promise<Live> | undefined;
  private currentLive: Live | undefined;
  private closed = false;
  private readonly via: SshConnection | undefined;
  private readonly ownsVia: boolean;
  /** The host refused the SFTP subsystem once: inspect() then leaves every path to the shell. */
  private sftpRefused = false;
  private changeCount = 0;

  constructor(readonly spec: ConnectionSpec, private readonly options: SshConnectionOptions = {}) {
    this.host = spec.inventoryName;
    this.ownsVia = options.via === undefined && spec.jump !== undefined;
    this.via = options.via ?? (spec.jump && new SshConnection(spec.jump, { ...options, via: undefined }));
  }

  /** Successful SSH handshakes so far (1 while the connection has been reused throughout). */
  get handshakes(): number {
    return this.handshakeCount;
  }

  get changes(): number {
    return this.changeCount;
  }

  run(command: string, options: RunOptions = {}): Promise<RunResult> {
    this.changeCount++;
    const sudo = sudoTarget(options.become, this.spec.user);
    return this.withLive((live) => live.shells.run(sudo, command, options), false);
  }

  put(content: string | Buffer, remotePath: string, options: PutOptions = {}): Promise<void> {
    this.changeCount++;
    // SFTP writes as the login user; another user's file goes through that user's shell.
    if (sudoTarget(options.become, this.spec.user)) return putThroughShell((c, o) => this.run(c, o), this.host, content, remotePath, options);
    return this.withLive(async (live) => {
      const sftp = await this.sftp(live);
      const tmp = tempPathBeside(remotePath);
      try {
        await new Promise<void>((resolve, reject) => {
          sftp.writeFile(tmp, content, { mode: 0o600, flag: "wx" }, (err) => {
            if (!err) return resolve();
            sftp.unlink(tmp, () => reject(err));
          });
        });
      } catch (e) {
        // OpenSSH's sftp-server answers a full disk, a quota or an I/O error alike with a bare
        // "Failure": written through the shell instead, the file either gets there or the host says why.
        if ((e as { code?: unknown }).code !== SSH_FX_FAILURE) throw e;
        return putThroughShell((c, o) => this.run(c, o), this.host, content, remotePath, options);
      }
      const result = await live.shells.run(undefined, installCommand(tmp, remotePath, options));
      if (result.rc !== 0) throw this.fileError("writing", remotePath, new Error(result.stderr.trim() || `rc ${result.rc}`));
    }, true, (e) => this.fileError("writing", remotePath, e));
  }

  get(remotePath: string, options: { become?: BecomeSpec } = {}): Promise<Buffer> {
    if (sudoTarget(options.become, this.spec.user)) return getThroughShell((c, o) => this.run(c, o), this.host, remotePath, { become: options.become });
    return this.withLive(async (live) => {
      const sftp = await this.sftp(live);
      return new Promise<Buffer>((resolve, reject) => {
        sftp.readFile(remotePath, (err, data) => (err ? reject(err) : resolve(data)));
      });
    }, true, (e) => this.fileError("reading", remotePath, e));
  }

  inspect(requests: readonly InspectRequest[]): Promise<(PathInfo | undefined)[]> {
    const unknown = () => requests.map(() => undefined);
    if (this.sftpRefused) return Promise.resolve(unknown());
    return this.withLive(async (live) => {
      const sftp = await this.sftp(live).catch(() => undefined);
      if (sftp) return inspectPaths(sftpAccess(sftp), requests);
      this.sftpRefused = live.closedWhy === undefined;
      return unknown();
    }, true);
  }

  /** A TCP stream from this host to `host:port` (how hosts behind a jump host are reached). */
  async forwardOut(host: string, port: number): Promise<Duplex> {
    // Errors stay plain: the target's connect retries a refused forward (its sshd may be restarting).
    const live = await this.connect();
    return new Promise<Duplex>((resolve, reject) => {
      live.client.forwardOut("127.0.0.1", 0, host, port, (err, channel) => {
        live.served();
        if (err) reject(err);
        else resolve(channel);
      });
    });
  }

  /** Ends the commands still running on the host (an interrupted run), then the connection. */
  async close(): Promise<void> {
    this.closed = true;
    const live = this.currentLive;
    if (live) {
      await live.shells.stopRunning();
      this.dropLive(live, "closed");
    }
    this.current = undefined;
    if (this.ownsVia) await this.via?.close();
  }

  /**
   * Runs `op` on the live connection. When the connection turns out to have dropped, it is
   * re-established once and `op` repeated — unless a command may already have run (`idempotent` false).
   * Other failures become KplayErrors through `describe`.
   */
  private async withLive<T>(op: (live: Live) => Promise<T>, idempotent: boolean, describe = (e: Error) => this.failure(e)): Promise<T> {
    const live = await this.connect();
    try {
      return await op(live);
    } catch (e) {
      if (isKplayError(e)) throw e;
      await nextTurn(); // let the client report its own close first
      if (live.closedWhy === undefined) throw describe(e as Error);
      if (!idempotent && e instanceof ShellClosedError && e.commandSent) {
        throw this.unreachable(`connection lost while running a command (${live.closedWhy})`);
      }
      const fresh = await this.connect();
      try {
        return await op(fresh);
      } catch (again) {
        throw isKplayError(again) ? again : this.unreachable((again as Error).message);
      }
    }
  }

  private connect(): Promise<Live> {
    if (this.closed) return Promise.reject(new KplayError({ kind: "runtime", host: this.host, message: `connection to ${this.host} used after close()` }));
    this.current ??= this.establish().catch((e: unknown) => {
      this.current = undefined;
      throw e;
    });
    return this.current;
  }

  private async establish(): Promise<Live> {
    const via = this.via;
    const { client, served } = await openSshClient(this.spec, {
      ...this.options,
      tunnel: via && (() => via.forwardOut(this.spec.host, this.spec.port)),
    });
    this.handshakeCount++;
    // close() came during the handshake (Ctrl-C while connecting): an open client would keep
    // the session on the host, and the process alive.
    if (this.closed) {
      client.end();
      throw new KplayError({ kind: "runtime", host: this.host, message: `connection to ${this.host} closed while it was being opened` });
    }
    const live: Live = { client, served, shells: new ShellPool((sudo) => this.openShell(live, sudo), this.options.maxShells ?? 6) };
    this.currentLive = live;
    client.on("error", (e: Error) => this.dropLive(live, e.message));
    client.on("close", () => this.dropLive(live, "connection closed"));
    return live;
  }

  private dropLive(live: Live, why: string): void {
    if (live.closedWhy !== undefined) return;
    live.closedWhy = why;
    if (this.currentLive === live) {
      this.currentLive = undefined;
      this.current = undefined;
    }
    live.shells.closeAll();
    live.client.end();
  }

  private openShell(live: Live, sudo: BecomeSpec | undefined): Promise<ShellSession> {
    const start = (command: string) => new Promise<ShellStreams>((resolve, reject) => {
      live.client.exec(command, (err, channel: ClientChannel) => {
        live.served();
        if (err) return reject(err);
        resolve({
          stdin: channel,
          stdout: channel,
          stderr: channel.stderr,
          onExit: (listener) => channel.on("close", () => listener("channel closed")),
          destroy: () => channel.close(),
        });
      });
    });
    return ShellSession.open(start, { host: this.host, loginUser: this.spec.user }, sudo);
  }

  private sftp(live: Live): Promise<SFTPWrapper> {
    live.sftp ??= new Promise<SFTPWrapper>((resolve, reject) => {
      live.client.sftp((err, sftp) => {
        live.served();
        if (err) reject(err);
        else resolve(sftp);
      });
    }).catch((e: unknown) => {
      live.sftp = undefined;
      throw e;
    });
    return live.sftp;
  }

  private fileError(what: "reading" | "writing", path: string, err: Error): KplayError {
    return new KplayError({ kind: "runtime", host: this.host, message: `${what} ${path} on ${this.host} failed: ${err.message}` });
  }

  private unreachable(why: string): KplayError {
    return new KplayError({ kind: "connection", host: this.host, message: `host ${this.host} (${this.spec.host}:${this.spec.port}) is UNREACHABLE: ${why}` });
  }

  /** An error on a connection that is still up: a channel could not be opened, or a shell died. */
  private failure(e: Error): KplayError {
    return new KplayError({ kind: "connection", host: this.host, message: `ssh to ${this.host} failed: ${e.message}` });
  }
}
