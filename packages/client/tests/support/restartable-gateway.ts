/**
 * A gateway process of the test's own over the test stack's subgraphs, NATS and keys, on a
 * port it keeps, so it can be stopped (SIGTERM: it closes its sockets with 1001 "going away")
 * and started again at the same URL — a gateway restart as clients see it. The stack's own
 * gateway, which other tests share, is never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { liftedRateLimits, testStack } from "@asky/stack/testing";
import { findFreePort } from "@asky/stack/ports";
import { serviceDir, serviceEntry, tsxImport } from "@asky/stack/services";

export interface RestartableGateway {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function restartableGateway(): Promise<RestartableGateway> {
  const stack = testStack();
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  let child: ChildProcess | null = null;

  const healthy = () =>
    fetch(new URL("/health", url)).then(
      (response) => response.status === 200,
      () => false,
    );

  const start = async (): Promise<void> => {
    const started = spawn(process.execPath, ["--import", tsxImport(), serviceEntry("gateway")], {
      cwd: serviceDir("gateway"),
      env: {
        ...process.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        NATS_URL: stack.natsUrl,
        ASKY_KEYS_DIR: stack.keysDir,
        METRICS_TOKEN: stack.metricsToken,
        USERS_URL: stack.subgraphUrls.users,
        DISPENSERS_URL: stack.subgraphUrls.dispensers,
        REQUESTS_URL: stack.subgraphUrls.requests,
        REPORTS_URL: stack.subgraphUrls.reports,
        ...liftedRateLimits,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    child = started;
    const deadline = Date.now() + 60_000;
    while (!(await healthy())) {
      if (started.exitCode !== null) throw new Error(`gateway exited with ${started.exitCode}`);
      if (Date.now() > deadline) throw new Error("gateway did not become healthy");
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };

  await start();
  return { url, start, stop };
}
