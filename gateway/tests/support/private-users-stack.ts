/**
 * A users service and a gateway of their own, on a nats-server of their own, for tests that
 * restart, stall or stop what the shared stack relies on. The users service has its own
 * database (seeded with the demo accounts), so its outbox is published to this nats-server
 * only. The gateway reaches the shared stack's dispensers subgraph, and the shared requests
 * subgraph unless `requests` asks for a requests service of its own too (its own database,
 * this nats-server), whose events then reach this gateway's subscriptions only.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  privateDatabase,
  startExtraGateway,
  startPrivateNats,
  startReplica,
  type PrivateNats,
  type Replica,
} from "@asky/stack/testing";

export interface PrivateUsersStack {
  readonly gatewayUrl: string;
  readonly gateway: { readonly process: ChildProcess; stderr(): string };
  readonly users: Replica;
  /** Present when asked for with `requests: true`. */
  readonly requests: { readonly replica: Replica; readonly databaseUrl: string } | null;
  readonly nats: PrivateNats;
  readonly databaseUrl: string;
  /** The gateway's /metrics, as Prometheus scrapes it. */
  metrics(): Promise<string>;
  dispose(): Promise<void>;
}

export interface PrivateUsersStackOptions {
  gatewayEnv?: Record<string, string>;
  requests?: boolean;
}

export async function startPrivateUsersStack(options: PrivateUsersStackOptions = {}): Promise<PrivateUsersStack> {
  const cleanups: (() => Promise<void>)[] = [];
  const dispose = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const database = await privateDatabase("users", { seed: true });
    cleanups.push(database.drop);
    const nats = await startPrivateNats();
    cleanups.push(nats.dispose);
    const natsUrl = nats.url;

    const users = await startReplica("users", {
      DATABASE_URL: database.serviceUrl,
      NATS_URL: natsUrl,
      LOG_LEVEL: "warn",
    });
    cleanups.push(() => users.stop());
    let requests: PrivateUsersStack["requests"] = null;
    if (options.requests) {
      const requestsDatabase = await privateDatabase("requests");
      cleanups.push(requestsDatabase.drop);
      // Its revocation feed reads this nats-server, and the users service that vouches for a
      // person's sessions while that feed is stale is this stack's.
      const replica = await startReplica("requests", {
        DATABASE_URL: requestsDatabase.serviceUrl,
        NATS_URL: natsUrl,
        USERS_URL: users.url,
        LOG_LEVEL: "warn",
      });
      cleanups.push(() => replica.stop());
      requests = { replica, databaseUrl: requestsDatabase.adminUrl };
    }
    const metricsToken = randomBytes(16).toString("hex");
    const gateway = await startExtraGateway({
      NATS_URL: natsUrl,
      USERS_URL: users.url,
      ...(requests ? { REQUESTS_URL: requests.replica.url } : {}),
      METRICS_TOKEN: metricsToken,
      ...options.gatewayEnv,
    });
    cleanups.push(async () => {
      if (gateway.process.exitCode !== null) return;
      const exited = new Promise((resolve) => gateway.process.once("exit", resolve));
      gateway.stop();
      await exited;
    });
    const metrics = async () => {
      const response = await fetch(new URL("/metrics", gateway.url), {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      return response.text();
    };
    return {
      gatewayUrl: gateway.url,
      gateway,
      users,
      requests,
      nats,
      databaseUrl: database.adminUrl,
      metrics,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** One sample of a scrape, e.g. `metricValue(text, 'asky_gateway_session_checks_total{outcome="revoked"}')`; 0 when absent. */
export function metricValue(scrape: string, sample: string): number {
  const line = scrape.split("\n").find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
