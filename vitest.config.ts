import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    // Covers the one-time build of the test-host image, which startHosts() does on first use
    // (serialised across workers), so unit-only runs never touch Docker.
    hookTimeout: 600_000,
    fileParallelism: true,
    // 2 cores: container hosts and SSH sessions need CPU too.
    maxWorkers: 2,
    // kplay reads ansible.cfg (docs/configuration.md): tests see an empty one, not the machine's.
    env: { ANSIBLE_CONFIG: fileURLToPath(new URL("test/fixtures/config/empty-ansible.cfg", import.meta.url)) },
  },
});
