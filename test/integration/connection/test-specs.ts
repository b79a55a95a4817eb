// ConnectionSpecs for the test hosts, as resolveConnectionSpec would build them from the inventory.
import type { ConnectionSpec } from "../../../src/engine/connection/types.js";
import type { TestHost, TestHosts } from "../../support/hosts.js";

export function specFor(bed: TestHosts, host: TestHost, overrides: Partial<ConnectionSpec> = {}): ConnectionSpec {
  return {
    inventoryName: host.name,
    transport: "ssh",
    host: host.address,
    port: host.port,
    user: "root",
    privateKeyFiles: [bed.privateKeyPath],
    connectTimeoutMs: 10_000,
    knownHostsFiles: [bed.knownHostsPath],
    acceptNewHostKeys: false,
    ...overrides,
  };
}
