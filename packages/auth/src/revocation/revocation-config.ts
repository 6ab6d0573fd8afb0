import { defaultGraphqlUrl, serviceRegistry } from "@asky/contracts";
import { type ConfigOf, env } from "@asky/runtime";

/**
 * How fast a revocation binds every gateway and subgraph, whatever NATS is doing (README,
 * "Revocation fails closed"). A revocation is refused at the latest about
 * REVOCATION_FEED_MAX_AGE_MS after it commits, plus SESSION_CHECK_CACHE_MS when the feed is
 * stale: keep the two under the promised two seconds.
 */
export const revocationEnv = {
  watermarkIntervalMs: env.int("REVOCATION_WATERMARK_INTERVAL_MS", {
    description:
      "How often this service asks the users service (over NATS) where the last access revocation sits in the stream",
    default: 500,
    min: 50,
  }),
  feedMaxAgeMs: env.int("REVOCATION_FEED_MAX_AGE_MS", {
    description:
      "How long one answer proves the revocation feed complete; past it each access token is checked with the users service",
    default: 1_500,
    min: 100,
  }),
  sessionCheckCacheMs: env.int("SESSION_CHECK_CACHE_MS", {
    description:
      "How long the users service's answer about one access token is reused while the revocation feed is stale",
    default: 500,
    min: 0,
  }),
  sessionCheckTimeoutMs: env.int("SESSION_CHECK_TIMEOUT_MS", {
    description:
      "How long this service waits for the users service to vouch for an access token before refusing it (503, SESSION_UNVERIFIABLE)",
    default: 1_000,
    min: 50,
  }),
};

export type RevocationConfig = ConfigOf<typeof revocationEnv>;

/** Where the services other than users find it, for the session fallback. */
export const usersUrlEnv = env.url(serviceRegistry.users.urlEnvVar, {
  description:
    "GraphQL endpoint of the users subgraph; its /internal/session-status vouches for access tokens while the revocation feed is stale",
  protocols: ["http:", "https:"],
  default: defaultGraphqlUrl("users"),
});
