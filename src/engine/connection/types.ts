// The contract between the executor/modules and whatever carries bytes to a host.

export interface BecomeSpec {
  /** Target user (default root). */
  user: string;
  /** Password for sudo -S; never logged, never placed in argv. */
  password?: string;
}

export interface RunOptions {
  /** Data written to the command's stdin. */
  stdin?: string | Buffer;
  /** Run as another user through sudo. */
  become?: BecomeSpec;
  /** Exported for this command only (prefixed to the command: sshd accepts no env by default). */
  env?: Record<string, string>;
  /** Working directory for this command only. */
  cwd?: string;
  /** Kill the command after this many milliseconds; the result then has timedOut = true. */
  timeoutMs?: number;
}

export interface RunResult {
  rc: number;
  stdout: string;
  stderr: string;
  timedOut?: boolean;
}

export interface PutOptions {
  /** Octal string such as "0644"; when absent an existing file keeps its mode, a new one gets 0644 minus umask. */
  mode?: string;
  owner?: string;
  group?: string;
  become?: BecomeSpec;
}

/** One path to look at without starting a program on the host. */
export interface InspectRequest {
  path: string;
  /** Describe what a symbolic link points to (a dangling link is described as the link). */
  follow: boolean;
  /** Read a regular file's bytes too, when it holds no more than this many. */
  readUpTo?: number;
  /** Also count a regular file's hard links (`nlink`; not for one reached by following a link). */
  linkCount?: boolean;
}

/** A path as `lstat`/`stat` saw it; `content` when asked for and small enough, `linkTarget` for a
 * link; `viaLink` when followed from a symbolic link to what it points to. */
export type PathInfo =
  | { exists: false }
  | { exists: true; mode: number; uid: number; gid: number; size: number; mtime: number; nlink?: number; linkTarget?: string; content?: Buffer; viaLink?: boolean };

/**
 * One live link to one host. Every call is isolated: no cd/export leaks between commands.
 * Implementations: ssh (persistent shell over ssh2) and local.
 */
export interface Connection {
  readonly host: string;
  /** Run a POSIX sh command line. Never rejects for a non-zero exit: that is rc. Rejects with
   * a KplayError of kind "connection" when the host cannot be reached. */
  run(command: string, options?: RunOptions): Promise<RunResult>;
  /** Write a file atomically (temp file in the same directory, then rename). */
  put(content: string | Buffer, remotePath: string, options?: PutOptions): Promise<void>;
  /** Read a whole remote file. */
  get(remotePath: string, options?: { become?: BecomeSpec }): Promise<Buffer>;
  /**
   * Describes paths as the login user sees them, without a process on the host (SFTP, or the local
   * file system): a no-op run's probes are mostly this, and each program a shell starts costs the
   * host a fork and an exec. undefined for a path this way cannot describe (permission denied, an
   * error): the caller asks through the shell instead. Optional: a connection may not offer it.
   */
  inspect?(requests: readonly InspectRequest[]): Promise<(PathInfo | undefined)[]>;
  /** Commands run and files written so far: what may have changed the host (inspect and get do not count). */
  readonly changes?: number;
  close(): Promise<void>;
}

/** How to reach a host, resolved from inventory variables, CLI flags and ~/.ssh/config. */
export interface ConnectionSpec {
  inventoryName: string;
  transport: "ssh" | "local";
  host: string;
  port: number;
  user: string;
  privateKeyFiles: string[];
  password?: string;
  /** ssh-agent socket when present. */
  agent?: string;
  /** Jump host chain (ProxyJump or the Kubespray `bastion` group). */
  jump?: ConnectionSpec;
  connectTimeoutMs: number;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
}
