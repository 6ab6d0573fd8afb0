import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // One real stack (Postgres, NATS, subgraphs, gateway on free ports) for the whole run.
    globalSetup: ["tests/global-setup.ts"],
    include: ["**/tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.data/**", "**/.asky/**", "**/dist/**", "**/.turbo/**"],
    environment: "node",
    reporters: ["default", "./tests/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // Test files share that stack (and the machine has 2 cores): run files one at a time.
    fileParallelism: false,
  },
});
