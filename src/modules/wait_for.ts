// wait_for (ansible.builtin.wait_for): poll the target until a port opens or closes, a file
// appears or disappears, or a regex matches in a file. The loop runs on the controller, one cheap
// probe per `sleep`, so the timeout, the elapsed time and interruption are measured in one place.
// It changes nothing, so it runs in check mode too (as in Ansible).
import { setTimeout as sleepFor } from "node:timers/promises";
import { shellQuote } from "../engine/shell-quote.js";
import { defineOperation, ModuleFailure, type Plan } from "./lib/operation.js";
import { runRemote } from "./lib/remote.js";
import type { ModuleContext } from "./types.js";

export interface WaitForArgs {
  host: string;
  port?: number;
  path?: string;
  state: "started" | "present" | "stopped" | "absent";
  search_regex?: string;
  timeout: number;
  delay: number;
  sleep: number;
  connect_timeout: number;
  msg?: string;
}

export interface Waited {
  elapsed: number;
  matchGroups?: string[];
  matchGroupdict?: Record<string, string>;
}

/** What one probe says: the condition holds or not; for files, the text when one is searched. */
export interface Observation {
  ok: boolean;
  text?: string;
}

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "0.0.0.0", "::"]);

/**
 * Exit 0 when something accepts connections on host:port, 1 when not. Prefers a real connect
 * (bash's /dev/tcp, then nc); without either, a local port is looked up among listening sockets.
 */
export function portProbe(host: string, port: number, connectTimeout: number): string {
  const h = shellQuote(host);
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const listening = LOCAL_HOSTS.has(host)
    ? `awk 'NR>1 && $4=="0A" && $2 ~ /:${hexPort}$/ {found=1} END {exit !found}' /proc/net/tcp /proc/net/tcp6 2>/dev/null; exit $?`
    : "exit 2";
  return [
    `if command -v bash >/dev/null; then timeout ${connectTimeout} bash -c 'exec 3<>"/dev/tcp/$1/$2"' sh ${h} ${port} 2>/dev/null && exit 0; exit 1; fi`,
    `if command -v nc >/dev/null; then nc -z -w ${connectTimeout} ${h} ${port} 2>/dev/null; exit $?; fi`,
    listening,
  ].join("\n");
}

/** The text a file probe prints: a state word, then the file for a regex search. */
export function pathProbe(path: string, withContent: boolean): string {
  const q = shellQuote(path);
  return withContent ? `[ -f ${q} ] || { echo absent; exit 0; }; echo present; cat -- ${q}` : `[ -e ${q} ] && echo present || echo absent`;
}

export function describeTarget(args: WaitForArgs): string {
  const gone = args.state === "stopped" || args.state === "absent";
  if (args.port !== undefined) return `port ${args.port} on ${args.host} to be ${gone ? "closed" : "open"}`;
  if (args.path !== undefined && args.search_regex !== undefined && !gone) return `search string ${JSON.stringify(args.search_regex)} in ${args.path}`;
  if (args.search_regex !== undefined && gone) return `search string ${JSON.stringify(args.search_regex)} to leave ${args.path}`;
  if (args.path !== undefined) return `file ${args.path} to be ${gone ? "absent" : "present"}`;
  return `${args.timeout} s`;
}

/** Ansible's regexes are Python's; the one spelling that differs in practice is a named group. */
export function toJsRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern.replaceAll("(?P<", "(?<"), "m");
  } catch (e) {
    throw new ModuleFailure(`search_regex ${JSON.stringify(pattern)} is not a valid regular expression: ${(e as Error).message}`);
  }
}

/** Pure: does this observation end the wait? Returns the regex match for search_regex. */
export function satisfied(args: WaitForArgs, seen: Observation): { done: boolean; match?: RegExpMatchArray } {
  const gone = args.state === "stopped" || args.state === "absent";
  if (args.search_regex !== undefined) {
    const match = seen.ok ? (seen.text ?? "").match(toJsRegex(args.search_regex)) ?? undefined : undefined;
    return gone ? { done: match === undefined } : { done: match !== undefined, ...(match ? { match } : {}) };
  }
  return { done: gone ? !seen.ok : seen.ok };
}

async function observe(ctx: ModuleContext, args: WaitForArgs): Promise<Observation> {
  if (args.port !== undefined) {
    const r = await runRemote(ctx, portProbe(args.host, args.port, args.connect_timeout));
    if (r.rc === 2) throw new ModuleFailure(`cannot test ports to ${args.host} on this host: it has neither bash nor nc`);
    return { ok: r.rc === 0 };
  }
  const r = await runRemote(ctx, pathProbe(args.path!, args.search_regex !== undefined));
  if (r.rc !== 0) throw new ModuleFailure(`cannot read ${args.path} (rc ${r.rc}): ${r.stderr.trim()}`);
  const nl = r.stdout.indexOf("\n");
  const word = nl < 0 ? r.stdout : r.stdout.slice(0, nl);
  return { ok: word === "present", ...(args.search_regex !== undefined ? { text: r.stdout.slice(nl + 1) } : {}) };
}

async function waitUntil(ctx: ModuleContext, args: WaitForArgs): Promise<Waited> {
  if (args.search_regex !== undefined) toJsRegex(args.search_regex);
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  if (args.delay > 0) await sleepFor(args.delay * 1000, undefined, signal);
  const end = started + args.timeout * 1000;
  if (args.port === undefined && args.path === undefined) {
    await sleepFor(Math.max(0, end - Date.now()), undefined, signal);
    return { elapsed: seconds() };
  }
  for (;;) {
    const { done, match } = satisfied(args, await observe(ctx, args));
    if (done) {
      return {
        elapsed: seconds(),
        ...(match ? { matchGroups: match.slice(1), matchGroupdict: { ...match.groups } } : {}),
      };
    }
    const left = end - Date.now();
    if (left <= 0) {
      throw new ModuleFailure(args.msg ?? `Timeout when waiting for ${describeTarget(args)} (gave up after ${seconds()} s)`, {
        elapsed: seconds(),
      });
    }
    await sleepFor(Math.min(args.sleep * 1000, left), undefined, signal);
  }
}

export const waitFor = defineOperation<WaitForArgs, Waited, Plan>({
  name: "wait_for",
  schema: {
    type: "object",
    additionalProperties: false,
    properties: {
      host: { type: "string", minLength: 1, default: "127.0.0.1" },
      port: { type: "integer", minimum: 1, maximum: 65535 },
      path: { type: "string", minLength: 1 },
      state: { type: "string", enum: ["started", "present", "stopped", "absent"], default: "started" },
      search_regex: { type: "string", minLength: 1 },
      timeout: { type: "number", minimum: 0, default: 300 },
      delay: { type: "number", minimum: 0, default: 0 },
      sleep: { type: "number", minimum: 0.1, default: 1 },
      connect_timeout: { type: "integer", minimum: 1, default: 5 },
      msg: { type: "string" },
    },
    allOf: [
      { not: { required: ["port", "path"] } },
      // Reading a port's banner is not supported: wait for the port, then check the service with uri.
      { not: { required: ["port", "search_regex"] } },
      { if: { required: ["search_regex"] }, then: { required: ["path"] } },
    ],
  },
  probe: (ctx, args) => waitUntil(ctx, args),
  plan: (args, waited) => ({
    changed: false,
    result: {
      elapsed: waited.elapsed,
      state: args.state,
      ...(args.port !== undefined ? { port: args.port } : {}),
      ...(args.path !== undefined ? { path: args.path } : {}),
      ...(args.search_regex !== undefined ? { search_regex: args.search_regex } : {}),
      ...(waited.matchGroups ? { match_groups: waited.matchGroups, match_groupdict: waited.matchGroupdict } : {}),
    },
  }),
  async apply() {
    // wait_for only observes: its plan never says changed.
  },
});
