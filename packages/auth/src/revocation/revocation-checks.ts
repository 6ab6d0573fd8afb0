import type { NatsConnection } from "@nats-io/transport-node";
import { assertNever, type Logger } from "@asky/runtime";
import type { RevocableToken, Revocation } from "../revocation.js";
import type { SessionRevokedReason } from "../session-status.js";
import { AccessRevocations } from "./access-revocations.js";
import { FeedWatermark } from "./feed-watermark.js";
import type { RevocationConfig } from "./revocation-config.js";
import { SessionChecks, type SessionCheck, type SessionStatusSource } from "./session-checks.js";
import { SessionUnverifiableError } from "./session-unverifiable.js";

export interface RevocationChecksOptions {
  nats: NatsConnection;
  config: RevocationConfig;
  /** Who vouches for a token while the feed is not proven current. */
  sessions: SessionStatusSource;
  /** Called once per question actually sent to `sessions`, e.g. for a metric. */
  onSessionCheck?: (check: SessionCheck) => void;
  /** Who runs the checks (`gateway`, `users`...): names the feed's consumers on the server. */
  owner?: string;
  logger: Logger;
}

export type RevocationFeedState = "current" | "stale";

/** Why a token is refused: `revoked` is a 401, `unverifiable` a 503 the client retries. */
export class AccessRevokedError extends Error {
  constructor(detail: string) {
    super(`access token revoked${detail}`);
    this.name = "AccessRevokedError";
  }
}

/**
 * What the users service's "revoked" certainly covers: the whole account up to this token for
 * a deactivation or a claims change, otherwise this session (a password change spares one).
 */
function revocationOf(token: RevocableToken, reason: SessionRevokedReason): Revocation {
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
    default:
      return assertNever(reason, "revocation reason");
  }
}

export interface RevocationChecks {
  readonly revocations: AccessRevocations;
  /**
   * Resolves when the token may act; rejects with AccessRevokedError, or SessionUnverifiableError
   * when nobody can tell. While the feed is current: a map lookup and no I/O.
   */
  check(token: RevocableToken): Promise<void>;
  /** Wraps a signature-and-claims verifier with `check`. */
  verifier<T extends RevocableToken>(verify: (token: string) => Promise<T>): (token: string) => Promise<T>;
  feedState(): RevocationFeedState;
  /** Milliseconds since the feed was last proven complete (FeedWatermark.provenAgeMs), for metrics. */
  feedAgeMs(): number;
  close(): Promise<void>;
}

/**
 * Revocation fails closed, the one implementation of it that gateways and subgraphs share.
 * While the feed is proven complete (FeedWatermark) a token is checked against it: a map
 * lookup. Otherwise the users service is asked about the token (cached briefly), and a token
 * it cannot vouch for is refused with SESSION_UNVERIFIABLE. Either way a revocation binds
 * within about REVOCATION_FEED_MAX_AGE_MS, whether NATS is up, stalled or restarting.
 */
export function startRevocationChecks(options: RevocationChecksOptions): RevocationChecks {
  const { logger, config } = options;
  const revocations = new AccessRevocations(logger);
  revocations.start(options.nats, options.owner);
  const watermark = new FeedWatermark(
    options.nats,
    revocations,
    { intervalMs: config.watermarkIntervalMs, maxAgeMs: config.feedMaxAgeMs },
    logger,
  );
  watermark.start();
  const sessions = new SessionChecks(options.sessions, {
    cacheMs: config.sessionCheckCacheMs,
    timeoutMs: config.sessionCheckTimeoutMs,
    ...(options.onSessionCheck ? { onChecked: options.onSessionCheck } : {}),
    logger,
  });
  let reported: RevocationFeedState | null = null;
  const feedState = (): RevocationFeedState => {
    const state: RevocationFeedState = watermark.isCurrent() ? "current" : "stale";
    if (state !== reported) {
      // Stale at start-up, until the first answer, is expected; afterwards it is an incident.
      const level = state === "stale" && reported !== null ? "warn" : "info";
      logger[level](
        { revocationFeed: state },
        state === "current"
          ? "revocation feed proven current"
          : "revocation feed not proven current; checking access tokens with the users service",
      );
      reported = state;
    }
    return state;
  };

  async function check(token: RevocableToken): Promise<void> {
    if (revocations.isRevoked(token)) throw new AccessRevokedError("");
    if (feedState() === "current") return;
    const answer = await sessions.check(token);
    switch (answer.status) {
      case "active":
        return;
      case "revoked":
        revocations.learn(revocationOf(token, answer.reason));
        throw new AccessRevokedError(` (${answer.reason}, users service)`);
      case "unverifiable":
        throw new SessionUnverifiableError(answer.cause);
      default:
        return assertNever(answer, "session check");
    }
  }

  return {
    revocations,
    feedState,
    feedAgeMs: () => watermark.provenAgeMs(),
    check,
    verifier(verify) {
      return async (token) => {
        const verified = await verify(token);
        await check(verified);
        return verified;
      };
    },
    async close() {
      watermark.close();
      await revocations.close();
    },
  };
}
