import { defineConfig } from "vitest/config";

// Pure unit tests live in a tests/unit/ folder of a workspace package (or of the root) and
// need nothing but Node: they run in the "unit" project, which starts no stack. Everything
// else under a tests/ folder runs in the "integration" project against one real stack.
const unitTests = "**/tests/unit/**/*.test.ts";

export default defineConfig({
  test: {
    exclude: ["**/node_modules/**", "**/.data/**", "**/.asky/**", "**/dist/**", "**/.turbo/**"],
    environment: "node",
    reporters: ["default", "./tests/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
    // Integration test files share one stack (and the machine has 2 cores): one file at a time.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [unitTests],
          // Unit tests share nothing, so they may run side by side.
          fileParallelism: true,
          // Run before the integration group, so a broken unit fails first.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/tests/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/.data/**", "**/.asky/**", "**/dist/**", "**/.turbo/**", unitTests],
          // One real stack (Postgres, NATS, subgraphs, gateway on free ports) for the whole run.
          globalSetup: ["tests/global-setup.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
