import type { NatsConnection } from "@nats-io/transport-node";
import type { JsMsg } from "@nats-io/jetstream";
import { ACCESS_TOKEN_MAX_TTL_SECONDS } from "../access-token.js";
import { accessRevoked } from "@asky/contracts";
import { revocationApplies, toRevocation, type RevocableToken, type Revocation } from "../revocation.js";
import { startOrderedFeed, type OrderedFeed } from "@asky/events";
import type { Logger } from "@asky/runtime";
import type { FeedPosition } from "./feed-watermark.js";

/**
 * Past this every token a revocation applies to is refused anyway (verifiers refuse tokens older
 * than the longest lifetime any users replica may give), so it can be forgotten. The longest
 * lifetime, not the configured one: this process cannot know what every users replica uses,
 * and one replica with a longer lifetime than this memory would let a revoked token act again
 * once the revocation was forgotten. A minute more covers clock tolerance and publish delay.
 */
export const REVOCATION_MEMORY_MS = (ACCESS_TOKEN_MAX_TTL_SECONDS + 60) * 1000;

/**
 * Access tokens the users service has taken back before they expire: a logout, a
 * deactivated nurse, a role change. Fed by `asky.users.access_revoked` through a feed that
 * outlives broker restarts; at start it reads the last 61 minutes of the stream, so a
 * gateway or subgraph replica started after a revocation knows it. Whether the feed is complete right now is
 * FeedWatermark's question; this only remembers what it was told.
 */
export class AccessRevocations implements FeedPosition {
  /** By user id: every check is a map lookup, whatever the number of revocations. */
  private readonly byUser = new Map<string, { revocation: Revocation; forgetAt: number }[]>();
  private readonly listeners = new Set<(revocation: Revocation) => void>();
  private feed: OrderedFeed | null = null;

  constructor(private readonly logger: Logger) {}

  /**
   * Starts reading in the background; never throws, whatever the state of NATS. `owner` (the
   * gateway, a subgraph) names the feed's consumers on the server: `<owner>-access-revocations_…`.
   */
  start(nc: NatsConnection, owner?: string): void {
    this.feed = startOrderedFeed({
      nats: nc,
      name: owner === undefined ? "access-revocations" : `${owner}-access-revocations`,
      filterSubjects: accessRevoked.subject,
      start: { kind: "time", since: () => new Date(Date.now() - REVOCATION_MEMORY_MS) },
      handle: (message) => this.receive(message),
      logger: this.logger.child({ feed: "access-revocations" }),
    });
  }

  get lastSequence(): number | null {
    return this.feed?.lastSequence ?? null;
  }

  get streamCreated(): string | null {
    return this.feed?.streamCreated ?? null;
  }

  restart(reason: string): void {
    this.feed?.restart(reason);
  }

  private receive(message: JsMsg): void {
    let revocation: Revocation;
    try {
      revocation = toRevocation(accessRevoked.parse(message.json()).data);
    } catch (error) {
      this.logger.warn({ err: error, seq: message.seq }, "skipping malformed access revocation");
      return;
    }
    this.learn(revocation);
  }

  /**
   * Remembers a revocation and tells the listeners. Also for one learnt outside the feed (the
   * users service's answer while the feed is stale): its token is then refused by lookup, and
   * the sockets it ends close now rather than when the feed catches up.
   */
  learn(revocation: Revocation): void {
    const now = Date.now();
    const kept = (this.byUser.get(revocation.userId) ?? []).filter((entry) => entry.forgetAt > now);
    this.byUser.set(revocation.userId, [...kept, { revocation, forgetAt: now + REVOCATION_MEMORY_MS }]);
    for (const listener of this.listeners) {
      try {
        listener(revocation);
      } catch (error) {
        this.logger.error({ err: error }, "revocation listener failed");
      }
    }
  }

  static applies(revocation: Revocation, token: RevocableToken): boolean {
    return revocationApplies(revocation, token);
  }

  isRevoked(token: RevocableToken): boolean {
    const entries = this.byUser.get(token.viewer.id);
    return entries !== undefined && entries.some(({ revocation }) => revocationApplies(revocation, token));
  }

  /** Called for every new revocation, e.g. to close the WebSockets it ends. */
  onRevoked(listener: (revocation: Revocation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.feed?.close();
  }
}
