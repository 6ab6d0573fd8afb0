import { env, type ConfigOf } from "@asky/common";

/**
 * How fast a revocation binds every gateway, whatever NATS is doing (README, "Operations").
 * A revocation is refused at the latest about REVOCATION_FEED_MAX_AGE_MS after it commits, plus
 * SESSION_CHECK_CACHE_MS when the feed is stale: keep the two under the promised two seconds.
 */
export const revocationEnv = {
  watermarkIntervalMs: env.int("REVOCATION_WATERMARK_INTERVAL_MS", {
    description: "How often the gateway asks the users service (over NATS) where the last access revocation sits in the stream",
    default: 500,
    min: 50,
  }),
  feedMaxAgeMs: env.int("REVOCATION_FEED_MAX_AGE_MS", {
    description: "How long one answer proves the revocation feed complete; past it each access token is checked with the users service",
    default: 1_500,
    min: 100,
  }),
  sessionCheckCacheMs: env.int("SESSION_CHECK_CACHE_MS", {
    description: "How long the users service's answer about one access token is reused while the revocation feed is stale",
    default: 500,
    min: 0,
  }),
  sessionCheckTimeoutMs: env.int("SESSION_CHECK_TIMEOUT_MS", {
    description: "How long the gateway waits for the users service to vouch for an access token before refusing it (503, SESSION_UNVERIFIABLE)",
    default: 1_000,
    min: 50,
  }),
};

export type RevocationConfig = ConfigOf<typeof revocationEnv>;
