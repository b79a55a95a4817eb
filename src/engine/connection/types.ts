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
