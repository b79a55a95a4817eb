// One connection per host for the whole run: created on first use, reused by every task.
import { LocalConnection } from "./local-connection.js";
import { SshConnection, type SshConnectionOptions } from "./ssh-connection.js";
import type { Connection, ConnectionSpec } from "./types.js";

/** One connection per inventory host, user, address and route (a user change gets its own). */
function keyOf(spec: ConnectionSpec): string {
  if (spec.transport === "local") return `local:${spec.inventoryName}`;
  return `ssh:${spec.inventoryName}=${spec.user}@${spec.host}:${spec.port}${spec.jump ? ` via ${keyOf(spec.jump)}` : ""}`;
}

export class ConnectionPool {
  private readonly connections = new Map<string, Connection>();

  constructor(private readonly options: Omit<SshConnectionOptions, "via"> = {}) {}

  get(spec: ConnectionSpec): Connection {
    return spec.transport === "local" ? this.local(spec) : this.ssh(spec);
  }

  /** SSH handshakes made so far by every connection of the pool (jump hosts included). */
  get handshakes(): number {
    let total = 0;
    for (const c of this.connections.values()) if (c instanceof SshConnection) total += c.handshakes;
    return total;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private local(spec: ConnectionSpec): Connection {
    const key = keyOf(spec);
    let conn = this.connections.get(key);
    if (!conn) {
      conn = new LocalConnection(spec.inventoryName);
      this.connections.set(key, conn);
    }
    return conn;
  }

  private ssh(spec: ConnectionSpec): SshConnection {
    const key = keyOf(spec);
    const existing = this.connections.get(key);
    if (existing instanceof SshConnection) return existing;
    // Jump hosts are pooled too, so every host behind a bastion shares its one connection.
    const via = spec.jump && this.ssh(spec.jump);
    const conn = new SshConnection(spec, { ...this.options, via });
    this.connections.set(key, conn);
    return conn;
  }
}
