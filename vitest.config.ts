import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Integration suites share one set of container hosts started in globalSetup.
    globalSetup: ["test/support/global-setup.ts"],
    fileParallelism: true,
    maxWorkers: 2,
  },
});
