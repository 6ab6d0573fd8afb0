import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, type ConsumerMessages } from "@nats-io/jetstream";
import { ACCESS_TOKEN_TTL_SECONDS, eventSubjects, parseEnvelope, STREAM_NAME, type Logger, type VerifiedAccessToken } from "@asky/common";

interface Revocation {
  readonly userId: string;
  readonly sessionId: string | null;
  readonly exceptSessionId: string | null;
  /** Whole seconds: tokens issued up to and including this second are refused. */
  readonly revokedAt: number;
}

/** Past this an access token is expired anyway, so a revocation can be forgotten. */
const rememberMs = (ACCESS_TOKEN_TTL_SECONDS + 60) * 1000;

/**
 * Access tokens the users service has taken back before they expire: a logout, a
 * deactivated nurse, a role change. Fed by `asky.users.access_revoked`; at start it reads
 * the last sixteen minutes of the stream, so a replica started after a revocation knows it.
 */
export type { Revocation };

export class AccessRevocations {
  /** By user id: every check is a map lookup, whatever the number of revocations. */
  private readonly byUser = new Map<string, { revocation: Revocation; forgetAt: number }[]>();
  private readonly listeners = new Set<(revocation: Revocation) => void>();
  private messages: ConsumerMessages | null = null;

  constructor(private readonly logger: Logger) {}

  async start(nc: NatsConnection): Promise<void> {
    const consumer = await jetstream(nc).consumers.get(STREAM_NAME, {
      filter_subjects: eventSubjects.accessRevoked,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(Date.now() - rememberMs).toISOString(),
    });
    this.messages = await consumer.consume();
    void (async () => {
      for await (const message of this.messages!) {
        try {
          const data = parseEnvelope(message.json()).data as { userId: string; sessionId: string | null; exceptSessionId: string | null; revokedAt: string };
          this.add({
            userId: data.userId,
            sessionId: data.sessionId,
            exceptSessionId: data.exceptSessionId,
            revokedAt: Math.floor(Date.parse(data.revokedAt) / 1000),
          });
        } catch (error) {
          this.logger.warn({ err: error, seq: message.seq }, "skipping malformed access revocation");
        }
      }
    })();
  }

  private add(revocation: Revocation): void {
    const now = Date.now();
    const kept = (this.byUser.get(revocation.userId) ?? []).filter((entry) => entry.forgetAt > now);
    this.byUser.set(revocation.userId, [...kept, { revocation, forgetAt: now + rememberMs }]);
    for (const listener of this.listeners) listener(revocation);
  }

  static applies(revocation: Revocation, token: VerifiedAccessToken): boolean {
    if (revocation.userId !== token.viewer.id) return false;
    if (revocation.sessionId !== null) return token.sessionId === revocation.sessionId;
    if (revocation.exceptSessionId !== null && token.sessionId === revocation.exceptSessionId) return false;
    return token.issuedAt <= revocation.revokedAt;
  }

  isRevoked(token: VerifiedAccessToken): boolean {
    const entries = this.byUser.get(token.viewer.id);
    return entries !== undefined && entries.some(({ revocation }) => AccessRevocations.applies(revocation, token));
  }

  /** Called for every new revocation, e.g. to close the WebSockets it ends. */
  onRevoked(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.messages?.stop();
    this.listeners.clear();
  }
}

/** The gateway's token check: signature and claims, then "not taken back since". */
export function revocationAwareVerifier(
  verify: (token: string) => Promise<VerifiedAccessToken>,
  revocations: AccessRevocations,
): (token: string) => Promise<VerifiedAccessToken> {
  return async (token) => {
    const verified = await verify(token);
    if (revocations.isRevoked(verified)) throw new Error("access token revoked");
    return verified;
  };
}
