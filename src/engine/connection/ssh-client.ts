// Opening one authenticated ssh2 client: host key check, authentication, connect timeout,
// keepalive, retries with back-off, and a process-wide cap on concurrent handshakes.
import type { Duplex } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import PQueue from "p-queue";
import type { Client } from "ssh2";
import { isKplayError, KplayError } from "../errors.js";
import { HostKeyCheck } from "./host-key-check.js";
import { planAuthentication, ssh2Package } from "./ssh-auth.js";
import type { ConnectionSpec } from "./types.js";

/** Handshakes in flight across all hosts: bounds the controller's CPU and sockets in a burst. */
const handshakeLimiter = new PQueue({ concurrency: 32 });

/**
 * Handshakes in flight to one sshd. sshd's MaxStartups (10:30:100) starts dropping new
 * connections at 10 unauthenticated ones; staying below means none is ever dropped, even when
 * many inventory names point at one address. sshd counts a connection as unauthenticated until
 * its monitor process has moved on after authentication, which a busy host does well after the
 * client heard "success": a slot is freed only once the host answered a channel request (by
 * then that step is done), or after SLOT_RELEASE_FALLBACK_MS when the caller opens no channel.
 */
const PER_TARGET_HANDSHAKES = 8;
const SLOT_RELEASE_FALLBACK_MS = 3000;
const targetLimiters = new Map<string, PQueue>();

function targetLimiter(spec: ConnectionSpec): PQueue {
  const key = `${spec.host}:${spec.port}`;
  let queue = targetLimiters.get(key);
  if (!queue) {
    const created = new PQueue({ concurrency: PER_TARGET_HANDSHAKES });
    created.on("idle", () => targetLimiters.delete(key));
    targetLimiters.set(key, created);
    queue = created;
  }
  return queue;
}

export interface SshClientOptions {
  /** Opens a fresh stream to the host through a jump host, for each attempt. */
  tunnel?: () => Promise<Duplex>;
  /** Further attempts after a network failure other than a timeout (default 3, waiting 1 s, 2 s, 4 s). */
  retries?: number;
  /** Keepalive period; 3 unanswered in a row mean the link is dead (default 5 s). */
  keepaliveIntervalMs?: number;
}

const KEEPALIVE_COUNT_MAX = 3;

function unreachable(spec: ConnectionSpec, why: string, hint?: string): KplayError {
  return new KplayError({
    kind: "connection",
    host: spec.inventoryName,
    message: `host ${spec.inventoryName} (${spec.host}:${spec.port}) is UNREACHABLE: ${why}`,
    hint,
  });
}

function handshake(spec: ConnectionSpec, check: HostKeyCheck, sock: Duplex | undefined, keepaliveIntervalMs: number): Promise<Client> {
  const auth = planAuthentication(spec);
  return new Promise<Client>((resolve, reject) => {
    const client = new (ssh2Package().Client)();
    let settled = false;
    // Stays attached: ssh2 may report more than one error, and an unheard one would crash the process.
    const onError = (err: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      if (check.failure()) return reject(check.failure());
      if (err.level === "client-authentication") {
        return reject(unreachable(spec, `authentication failed for user ${spec.user} (tried: ${auth.described.join(", ") || "nothing"})`,
          "set ansible_user, ansible_ssh_private_key_file or ansible_password, or load the key into ssh-agent"));
      }
      reject(err);
    };
    client.on("error", onError);
    client.once("ready", () => {
      settled = true;
      resolve(client);
    });
    client.connect({
      host: spec.host,
      port: spec.port,
      username: spec.user,
      sock,
      readyTimeout: spec.connectTimeoutMs,
      keepaliveInterval: keepaliveIntervalMs,
      keepaliveCountMax: KEEPALIVE_COUNT_MAX,
      hostVerifier: check.verify,
      algorithms: { serverHostKey: check.algorithms() },
      authHandler: auth.methods,
    });
    // Every command and SFTP request is a small packet waiting for its answer: with Nagle's
    // algorithm on, one queued behind an unacknowledged one waits for the host's delayed ACK
    // (Node 24 ran the benchmark 2.9x slower than Node 20 for that). OpenSSH sets TCP_NODELAY too.
    client.setNoDelay(true);
  });
}

/** Waits for a free slot of `queue`; the slot is held until the returned function is called (once or more). */
function takeSlot(queue: PQueue): Promise<() => void> {
  return new Promise((granted) => {
    void queue.add(() => new Promise<void>((release) => {
      let released = false;
      granted(() => {
        if (!released) release();
        released = true;
      });
    }));
  });
}

export interface OpenedClient {
  client: Client;
  /** Call when the host answered a channel request: frees the handshake slot this client holds on its sshd. */
  served: () => void;
}

/** Connects and authenticates, retrying network failures; rejects with a KplayError of kind "connection". */
export async function openSshClient(spec: ConnectionSpec, options: SshClientOptions = {}): Promise<OpenedClient> {
  const retries = options.retries ?? 3;
  const check = new HostKeyCheck(spec);
  for (let attempt = 0; ; attempt++) {
    const freeSlot = await takeSlot(targetLimiter(spec));
    try {
      const client = await handshakeLimiter.add(async () => {
        const sock = options.tunnel ? await options.tunnel() : undefined;
        return handshake(spec, check, sock, options.keepaliveIntervalMs ?? 5000);
      });
      setTimeout(freeSlot, SLOT_RELEASE_FALLBACK_MS).unref();
      client.once("close", freeSlot);
      return { client, served: freeSlot };
    } catch (e) {
      freeSlot();
      if (isKplayError(e)) {
        // Our own verdicts are final; the jump host's connection already had its retries.
        if (e.context.host === spec.inventoryName) throw e;
        throw unreachable(spec, `jump host failed: ${e.message}`, e.context.hint);
      }
      const error = e as Error & { level?: string };
      // A handshake timeout already waited the whole --timeout: trying again would multiply it.
      if (error.level === "client-timeout") throw unreachable(spec, `${error.message} (${spec.connectTimeoutMs / 1000} s)`);
      if (attempt >= retries) throw unreachable(spec, `${error.message}${retries > 0 ? ` (${attempt + 1} attempts)` : ""}`);
      await sleep(1000 * 2 ** attempt);
    }
  }
}
