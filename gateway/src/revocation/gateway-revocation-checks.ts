import type { NatsConnection } from "@nats-io/transport-node";
import {
  startRevocationChecks,
  usersServiceSessions,
  type RevocationChecks,
  type RevocationConfig,
  type SigningKey,
} from "@asky/auth";
import { type Logger } from "@asky/runtime";
import type { GatewayMetrics } from "../metrics.js";

export interface GatewayRevocationChecksOptions {
  nats: NatsConnection;
  usersUrl: string;
  /** The gateway's signing key, for its internal token to the users service. */
  key: SigningKey;
  config: RevocationConfig;
  metrics: GatewayMetrics;
  logger: Logger;
}

/**
 * The shared revocation checks (@asky/auth, also run by every subgraph), with what only
 * the gateway has: its metrics, and the users service asked as `gateway`.
 */
export function startGatewayRevocationChecks(options: GatewayRevocationChecksOptions): RevocationChecks {
  const { metrics } = options;
  const sessions = usersServiceSessions({
    usersUrl: options.usersUrl,
    caller: "gateway",
    key: options.key,
    timeoutMs: options.config.sessionCheckTimeoutMs,
  });
  const checks = startRevocationChecks({
    nats: options.nats,
    config: options.config,
    sessions: sessions.source,
    onSessionCheck: (check) => metrics.sessionChecks.add(1, { outcome: check.status }),
    owner: "gateway",
    logger: options.logger,
  });
  metrics.observeRevocationFeed({
    current: () => checks.feedState() === "current",
    ageSeconds: () => checks.feedAgeMs() / 1_000,
  });
  return {
    ...checks,
    async close() {
      await checks.close();
      sessions.close();
    },
  };
}
