/**
 * Another gateway process over the test stack's subgraphs, NATS and keys: a replica, or a
 * gateway started with settings of its own (small rate limits, a short subgraph timeout).
 */
import type { ChildProcess } from "node:child_process";
import { findFreePort } from "../ports.js";
import { spawnManaged } from "../processes.js";
import { serviceDir, serviceEntry, tsxImport } from "../services.js";
import { liftedRateLimits } from "../lifted-rate-limits.js";
import { waitForHttp } from "../wait.js";
import { httpBase, listenAddress } from "./listen-address.js";
import { testStack } from "./stack-context.js";

export interface ExtraGateway {
  url: string;
  process: ChildProcess;
  /** Everything the gateway wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL should it not stop within 10 s. */
  stop(): void;
}

export interface ExtraGatewayOptions {
  /** How long to wait for its /health to answer 200. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Starts it with the suite's lifted rate limits; `env` wins over every setting. A PORT (and
 * HOST) in `env` is where it listens, and where its health is awaited. A gateway that exits or
 * does not become healthy in time is stopped before the error is thrown: nothing is left
 * running (holding the port, subscribed to NATS) behind a failed start.
 */
export async function startExtraGateway(
  env: Record<string, string> = {},
  options: ExtraGatewayOptions = {},
): Promise<ExtraGateway> {
  const stack = testStack();
  const { host, port: given } = listenAddress(env);
  const port = given ?? (await findFreePort());
  let stderr = "";
  const proc = spawnManaged({
    name: `extra-gateway-${port}`,
    command: process.execPath,
    args: ["--import", tsxImport(), serviceEntry("gateway")],
    cwd: serviceDir("gateway"),
    env: {
      ...process.env,
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
      PORT: String(port),
    },
    log: (_name, line, kind) => {
      if (kind === "stderr") stderr += `${line}\n`;
    },
    keepLines: 50,
  });
  const url = `${httpBase(host, port)}/graphql`;
  try {
    await waitForHttp(new URL("/health", url).href, {
      name: "extra gateway",
      process: proc,
      timeoutMs: options.timeoutMs ?? 30_000,
      intervalMs: 200,
    });
  } catch (error) {
    await proc.stop({ timeoutMs: 5_000 });
    throw error;
  }
  return { url, process: proc.child, stderr: () => stderr, stop: () => void proc.stop() };
}
