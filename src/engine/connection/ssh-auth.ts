// The authentication methods tried for a host, in OpenSSH's spirit: identity files, then the
// agent, then the password. Secrets stay in these objects; only their kinds are ever described.
import { readFileSync, statSync } from "node:fs";
import type { AnyAuthMethod, ParsedKey } from "ssh2";
import { lazyRequire } from "../lazy-require.js";
import type { ConnectionSpec } from "./types.js";

/** ssh2, loaded by the first SSH connection: runs on local hosts, listings and checks never need it. */
export const ssh2Package = lazyRequire<typeof import("ssh2")>("ssh2");

export interface AuthPlan {
  methods: AnyAuthMethod[];
  /** What was tried, for an "authentication failed" message (file names, never contents). */
  described: string[];
}

const parsedKeys = new Map<string, { stamp: string; parsed: ParsedKey | Error }>();

/**
 * An identity file, parsed once for every host that uses it (and again only if it changes):
 * ssh2 takes the parsed key as it is, so a handshake parses nothing.
 */
function readKey(file: string): ParsedKey | Error {
  const st = statSync(file);
  const stamp = `${st.mtimeMs}:${st.size}`;
  const cached = parsedKeys.get(file);
  if (cached?.stamp === stamp) return cached.parsed;
  const parsed = ssh2Package().utils.parseKey(readFileSync(file));
  parsedKeys.set(file, { stamp, parsed });
  return parsed;
}

export function planAuthentication(spec: ConnectionSpec): AuthPlan {
  const username = spec.user;
  const methods: AnyAuthMethod[] = [];
  const described: string[] = [];
  for (const file of spec.privateKeyFiles) {
    let parsed: ParsedKey | Error;
    try {
      parsed = readKey(file);
    } catch (e) {
      described.push(`key ${file} (unreadable: ${(e as NodeJS.ErrnoException).code ?? "error"})`);
      continue;
    }
    if (parsed instanceof Error) {
      described.push(`key ${file} (unusable: ${/encrypt/i.test(parsed.message) ? "protected by a passphrase; load it into ssh-agent" : parsed.message})`);
      continue;
    }
    methods.push({ type: "publickey", username, key: parsed });
    described.push(`key ${file}`);
  }
  if (spec.agent) {
    methods.push({ type: "agent", username, agent: spec.agent });
    described.push("ssh-agent");
  }
  if (spec.password !== undefined) {
    const password = spec.password;
    methods.push({ type: "password", username, password });
    methods.push({
      type: "keyboard-interactive",
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    });
    described.push("password");
  }
  return { methods, described };
}
