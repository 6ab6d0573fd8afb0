import type { NatsConnection } from "@nats-io/transport-node";
import type { Logger, Revocation, SessionRevokedReason, SigningKey, VerifiedAccessToken } from "@asky/common";
import { AccessRevocations } from "../access-revocations.js";
import type { GatewayMetrics } from "../metrics.js";
import { FeedWatermark } from "./feed-watermark.js";
import type { RevocationConfig } from "./revocation-config.js";
import { SessionStatusClient, type SessionCheck } from "./session-status-client.js";
import { SessionUnverifiableError } from "./session-unverifiable.js";

export interface RevocationChecksOptions {
  nats: NatsConnection;
  usersUrl: string;
  /** The gateway's signing key, for its internal token to the users service. */
  key: SigningKey;
  config: RevocationConfig;
  metrics: GatewayMetrics;
  logger: Logger;
}

export type RevocationFeedState = "current" | "stale";

/**
 * What the users service's "revoked" certainly covers: the whole account up to this token for
 * a deactivation or a claims change, otherwise this session (a password change spares one).
 */
function revocationOf(token: VerifiedAccessToken, reason: SessionRevokedReason): Revocation {
  const userId = token.viewer.id;
  switch (reason) {
    case "deactivated":
    case "claims_changed":
      return { userId, sessionId: null, exceptSessionId: null, revokedAtMs: token.issuedAtMs };
    case "session_ended":
    case "session_unknown":
    case "sessions_ended":
      return token.sessionId === null
        ? { userId, sessionId: null, exceptSessionId: null, revokedAtMs: token.issuedAtMs }
        : { userId, sessionId: token.sessionId, exceptSessionId: null, revokedAtMs: token.issuedAtMs };
    default: {
      const unreachable: never = reason;
      throw new Error(`unknown revocation reason ${String(unreachable)}`);
    }
  }
}

export interface RevocationChecks {
  readonly revocations: AccessRevocations;
  /** Wraps a signature-and-claims verifier with "not taken back since". */
  verifier(verify: (token: string) => Promise<VerifiedAccessToken>): (token: string) => Promise<VerifiedAccessToken>;
  feedState(): RevocationFeedState;
  close(): Promise<void>;
}

/**
 * Revocation fails closed. While the feed is proven complete (FeedWatermark) a token is checked
 * against it: a map lookup. Otherwise the users service is asked about the token (cached
 * briefly), and a token it cannot vouch for is refused with SESSION_UNVERIFIABLE. Either way a
 * revocation binds within about REVOCATION_FEED_MAX_AGE_MS, whether NATS is up, stalled or
 * restarting.
 */
export function startRevocationChecks(options: RevocationChecksOptions): RevocationChecks {
  const { metrics, logger, config } = options;
  const revocations = new AccessRevocations(logger);
  revocations.start(options.nats);
  const watermark = new FeedWatermark(options.nats, revocations, { intervalMs: config.watermarkIntervalMs, maxAgeMs: config.feedMaxAgeMs }, logger);
  watermark.start();
  const sessions = new SessionStatusClient({
    usersUrl: options.usersUrl,
    key: options.key,
    cacheMs: config.sessionCheckCacheMs,
    timeoutMs: config.sessionCheckTimeoutMs,
    onChecked: (check: SessionCheck) => metrics.sessionChecks.inc(check.status),
    logger,
  });
  let reported: RevocationFeedState | null = null;
  const feedState = (): RevocationFeedState => {
    const state: RevocationFeedState = watermark.isCurrent() ? "current" : "stale";
    if (state !== reported) {
      // Stale at start-up, until the first answer, is expected; afterwards it is an incident.
      const level = state === "stale" && reported !== null ? "warn" : "info";
      logger[level]({ revocationFeed: state }, state === "current" ? "revocation feed proven current" : "revocation feed not proven current; checking access tokens with the users service");
      reported = state;
    }
    return state;
  };
  metrics.observeRevocationFeed(() => feedState() === "current");

  return {
    revocations,
    feedState,
    verifier(verify) {
      return async (token) => {
        const verified = await verify(token);
        if (revocations.isRevoked(verified)) throw new Error("access token revoked");
        if (feedState() === "current") return verified;
        const check = await sessions.check(verified);
        switch (check.status) {
          case "active":
            return verified;
          case "revoked":
            revocations.learn(revocationOf(verified, check.reason));
            throw new Error(`access token revoked (${check.reason}, users service)`);
          case "unverifiable":
            throw new SessionUnverifiableError(check.cause);
          default: {
            const unreachable: never = check;
            throw new Error(`unknown session check ${JSON.stringify(unreachable)}`);
          }
        }
      };
    },
    async close() {
      watermark.close();
      sessions.close();
      await revocations.close();
    },
  };
}
