// The connection layer's public surface.
export type { BecomeSpec, Connection, ConnectionSpec, InspectRequest, PathInfo, PutOptions, RunOptions, RunResult } from "./types.js";
export { ConnectionPool } from "./pool.js";
export { SshConnection, type SshConnectionOptions } from "./ssh-connection.js";
export { LocalConnection } from "./local-connection.js";
export { behindBastion, resolveConnectionSpec, type ConnectionCliOptions } from "./spec.js";
