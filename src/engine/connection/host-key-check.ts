// The host key policy: known keys pass, unknown keys are refused unless --accept-new-host-keys
// (then recorded), changed or revoked keys are always refused. Never accept silently.
import type { ServerHostKeyAlgorithm } from "ssh2";
import { KplayError } from "../errors.js";
import { checkHostKey, fingerprint, keyTypeOf, knownHostName, knownKeyTypes, loadKnownHosts, recordHostKey } from "./known-hosts.js";
import type { ConnectionSpec } from "./types.js";

const ALGORITHMS_BY_KEY_TYPE: Record<string, ServerHostKeyAlgorithm[]> = {
  "ssh-ed25519": ["ssh-ed25519"],
  "ecdsa-sha2-nistp256": ["ecdsa-sha2-nistp256"],
  "ecdsa-sha2-nistp384": ["ecdsa-sha2-nistp384"],
  "ecdsa-sha2-nistp521": ["ecdsa-sha2-nistp521"],
  "ssh-rsa": ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"],
};

function keyLabel(key: Buffer): string {
  return `${keyTypeOf(key).replace(/^ssh-|-sha2-nistp\d+$/g, "").toUpperCase()} key ${fingerprint(key)}`;
}

export class HostKeyCheck {
  private refusal: KplayError | undefined;
  private readonly name: string;
  private readonly where: string;

  constructor(private readonly spec: ConnectionSpec) {
    this.name = knownHostName(spec.host, spec.port);
    this.where = `${spec.inventoryName} (${spec.host}:${spec.port})`;
  }

  /**
   * Host key algorithms to offer: those of the types known_hosts already has for this host first,
   * in OpenSSH's order of preference (ed25519, ECDSA, RSA) whatever the file's order, as OpenSSH does.
   */
  algorithms(): ServerHostKeyAlgorithm[] {
    const knownTypes = new Set(knownKeyTypes(loadKnownHosts(this.spec.knownHostsFiles), this.name));
    const byPreference = Object.entries(ALGORITHMS_BY_KEY_TYPE);
    const known = byPreference.filter(([type]) => knownTypes.has(type)).flatMap(([, algorithms]) => algorithms);
    return [...new Set([...known, ...byPreference.flatMap(([, algorithms]) => algorithms)])];
  }

  /** ssh2's hostVerifier; after a refusal, `failure` says why. */
  readonly verify = (key: Buffer): boolean => {
    const verdict = checkHostKey(loadKnownHosts(this.spec.knownHostsFiles), this.name, key);
    switch (verdict.status) {
      case "known":
        return true;
      case "unknown":
        if (this.spec.acceptNewHostKeys && this.spec.knownHostsFiles.length > 0) {
          recordHostKey(this.spec.knownHostsFiles[0], this.name, key);
          return true;
        }
        this.refusal = new KplayError({
          kind: "connection",
          host: this.spec.inventoryName,
          message: `host ${this.where} is UNREACHABLE: its host key is not known (${keyLabel(key)})`
            + (verdict.otherTypes.length > 0 ? `; known_hosts has only ${verdict.otherTypes.join(", ")} keys for it` : ""),
          hint: `after checking the fingerprint, add it: ssh-keyscan -p ${this.spec.port} ${this.spec.host} >> ~/.ssh/known_hosts`
            + ` — or pass --accept-new-host-keys to record new keys`,
        });
        return false;
      case "changed":
        this.refusal = new KplayError({
          kind: "connection",
          host: this.spec.inventoryName,
          message: `WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED for ${this.where}: it sent ${keyLabel(key)}, `
            + `${verdict.previous.file}:${verdict.previous.line} has ${keyLabel(verdict.previous.key)}. `
            + `Someone could be eavesdropping (man-in-the-middle), or the host was reinstalled. Refusing to connect`,
          hint: `if the change is expected, remove the old key: ssh-keygen -f ${verdict.previous.file} -R '${this.name}'`,
        });
        return false;
      case "revoked":
        this.refusal = new KplayError({
          kind: "connection",
          host: this.spec.inventoryName,
          message: `host ${this.where} presented a REVOKED host key (${keyLabel(key)}, ${verdict.entry.file}:${verdict.entry.line}). Refusing to connect`,
        });
        return false;
    }
  };

  failure(): KplayError | undefined {
    return this.refusal;
  }
}
