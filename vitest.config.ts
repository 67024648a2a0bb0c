import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Most integration tests wait on sockets and child processes, not CPU: two files at once fit 2 cores.
    maxWorkers: 2,
    allowOnly: false,
  },
});
