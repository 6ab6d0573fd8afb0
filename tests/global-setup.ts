/**
 * Boots the real stack once per `vitest run`: embedded Postgres (unless DATABASE_URL),
 * nats-server (unless NATS_URL), the subgraphs and the gateway, all on free ports with a
 * throw-away data folder; tests read the URLs with `testStack()` from "@asky/stack/testing"
 * (or `inject("gatewayUrl")`). Service output goes to .asky/test-stack.log (ASKY_TEST_LOGS=1
 * also prints it), and to a copy of this run's own that tests read with inject("serviceLogFile").
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { consoleSink, fileSink, liftedRateLimits, repoRoot, startStack, type LogSink } from "@asky/stack";
import type { StackContext } from "@asky/stack/testing";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logFile = join(repoRoot, ".asky", "test-stack.log");
  const toFile = fileSink(logFile);
  // Every run in the checkout restarts .asky/test-stack.log when it starts; tests that look
  // for their own lines read this copy, which no other run touches.
  const runLogDir = mkdtempSync(join(tmpdir(), "asky-test-log-"));
  const serviceLogFile = join(runLogDir, "services.log");
  const toRunFile = fileSink(serviceLogFile);
  const toConsole = consoleSink();
  const verbose = process.env.ASKY_TEST_LOGS === "1";
  const log: LogSink = (source, line, stream) => {
    toFile(source, line, stream);
    toRunFile(source, line, stream);
    if (verbose || source === "stack") toConsole(source, line, stream);
  };

  const started = Date.now();
  const stack = await startStack({
    ports: "free",
    ephemeral: true,
    log,
    env: {
      gateway: liftedRateLimits,
      // Webhook tests run their receivers on this host, and wait for retries in milliseconds.
      reports: { WEBHOOK_ALLOWED_HOSTS: "127.0.0.1", WEBHOOK_RETRY_BASE_MS: "50" },
    },
    nodeEnv: "test",
  }).catch((error: unknown) => {
    if (error instanceof Error) error.message += `\n(full log: ${logFile})`;
    throw error;
  });
  log("stack", `stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s, gateway ${stack.gatewayUrl}`, "stdout");

  const context: StackContext = {
    gatewayUrl: stack.gatewayUrl,
    subgraphUrls: stack.subgraphUrls,
    healthUrls: stack.healthUrls,
    adminDatabaseUrl: stack.adminDatabaseUrl,
    serviceDatabaseUrls: stack.serviceDatabaseUrls,
    natsUrl: stack.natsUrl,
    keysDir: stack.keysDir,
    metricsToken: stack.metricsToken,
  };
  for (const [key, value] of Object.entries(context) as [keyof StackContext, StackContext[keyof StackContext]][]) {
    project.provide(key, value as never);
  }
  project.provide("serviceLogFile", serviceLogFile);

  return async () => {
    await stack.stop();
    rmSync(runLogDir, { recursive: true, force: true });
  };
}
