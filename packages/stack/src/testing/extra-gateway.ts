/**
 * Another gateway process over the test stack's subgraphs, NATS and keys: a replica, or a
 * gateway started with settings of its own (small rate limits, a short subgraph timeout).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { findFreePort } from "../ports.js";
import { serviceDir, serviceEntry, tsxImport } from "../services.js";
import { liftedRateLimits } from "../lifted-rate-limits.js";
import { testStack } from "./stack-context.js";

export interface ExtraGateway {
  url: string;
  process: ChildProcess;
  /** Everything the gateway wrote to stderr so far. */
  stderr(): string;
  stop(): void;
}

/** Starts it with the suite's lifted rate limits; `env` wins over every setting. */
export async function startExtraGateway(env: Record<string, string> = {}): Promise<ExtraGateway> {
  const stack = testStack();
  const port = await findFreePort();
  const child = spawn(process.execPath, ["--import", tsxImport(), serviceEntry("gateway")], {
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
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 30_000;
  const health = () =>
    fetch(new URL("/health", url)).then(
      (response) => response.status,
      () => 0,
    );
  while ((await health()) !== 200) {
    if (child.exitCode !== null) throw new Error(`extra gateway exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("extra gateway did not become healthy");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, process: child, stderr: () => stderr, stop: () => void child.kill("SIGTERM") };
}
