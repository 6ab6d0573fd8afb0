import {
  ACCESS_TOKEN_DEFAULT_TTL_SECONDS,
  ACCESS_TOKEN_MAX_TTL_SECONDS,
  ACCESS_TOKEN_MIN_TTL_SECONDS,
} from "@asky/auth";
import { env, type ConfigOf } from "@asky/runtime";
import { subgraphEnv } from "@asky/service";

/**
 * The users service reads the common subgraph variables plus its sign-in policy. Every
 * limit has a production-sane default; tests and load tests may loosen the per-address
 * limit because every client of a test run shares 127.0.0.1.
 */
export const usersEnv = {
  ...subgraphEnv("users"),
  loginWindowSeconds: env.int("LOGIN_WINDOW_SECONDS", {
    description: "Sliding window over which failed sign-ins are counted, in seconds",
    default: 15 * 60,
    min: 1,
  }),
  loginMaxFailuresPerAccount: env.int("LOGIN_MAX_FAILURES_PER_ACCOUNT", {
    description: "Failed sign-ins for one email within the window before it is throttled",
    default: 5,
    min: 1,
  }),
  loginMaxFailuresPerAddress: env.int("LOGIN_MAX_FAILURES_PER_ADDRESS", {
    // Higher than per account: a whole hospital may sit behind one NAT address, and a
    // shift change must not lock every workstation out because of a few typos.
    description: "Failed sign-ins from one client address within the window before it is throttled",
    default: 50,
    min: 1,
  }),
  accessTokenTtlSeconds: env.int("ACCESS_TOKEN_TTL_SECONDS", {
    // Bounded above because every gateway and subgraph remembers revocations only for the
    // longest lifetime allowed, and refuses older tokens: see ACCESS_TOKEN_MAX_TTL_SECONDS.
    description: "Seconds an access token is valid; sign-in and refresh issue tokens with this lifetime",
    default: ACCESS_TOKEN_DEFAULT_TTL_SECONDS,
    min: ACCESS_TOKEN_MIN_TTL_SECONDS,
    max: ACCESS_TOKEN_MAX_TTL_SECONDS,
  }),
  refreshTokenTtlDays: env.int("REFRESH_TOKEN_TTL_DAYS", {
    description: "Days a refresh token stays valid if unused; every refresh issues a new one",
    default: 30,
    min: 1,
  }),
  refreshReuseGraceSeconds: env.int("REFRESH_REUSE_GRACE_SECONDS", {
    // A refresh whose answer was lost (flaky ward Wi-Fi) presents the rotated token again: within
    // this grace, and while its successor is unused, that is a retry, not theft. Bounded above
    // because the grace is also how long a stolen token can win the session from its holder.
    description:
      "Seconds after a refresh token's use during which presenting it again, while the token it was exchanged for is unused, rotates again instead of revoking the session (0 turns this off)",
    default: 30,
    min: 0,
    max: 120,
  }),
  loginAttemptsRetentionDays: env.int("LOGIN_ATTEMPTS_RETENTION_DAYS", {
    description: "Days sign-in attempts are kept (they feed the throttle; the audit log keeps who signed in)",
    default: 90,
    min: 1,
  }),
  refreshTokensRetentionDays: env.int("REFRESH_TOKENS_RETENTION_DAYS", {
    description: "Days a refresh token row is kept after it expired",
    default: 30,
    min: 1,
  }),
};

export type UsersConfig = ConfigOf<typeof usersEnv>;

/** The part of the configuration the sign-in and session logic needs at request time. */
export interface AuthPolicy {
  readonly loginWindowSeconds: number;
  readonly loginMaxFailuresPerAccount: number;
  readonly loginMaxFailuresPerAddress: number;
  readonly accessTokenTtlSeconds: number;
  readonly refreshTokenTtlDays: number;
  readonly refreshReuseGraceSeconds: number;
}
