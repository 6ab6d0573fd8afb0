import type { NatsConnection } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import { createLogger } from "@asky/runtime";
import { FeedWatermark, type FeedPosition } from "../../src/revocation/feed-watermark.js";

const logger = createLogger("test", "silent");

/** A users service that answers every question: the last revocation sits at `sequence`. */
function answering(sequence: number): NatsConnection {
  const reply = { json: () => ({ kind: "complete", sequence, streamCreated: "stream-1" }) };
  return { request: async () => reply } as unknown as NatsConnection;
}

describe("the revocation feed's proven age (its freshness gauge)", () => {
  it("counts from the question of the last proof, and from the start until there is one", async () => {
    let now = 1_000;
    const feed: { -readonly [K in keyof FeedPosition]: FeedPosition[K] } = {
      lastSequence: null,
      streamCreated: "stream-1",
      restart: () => undefined,
    };
    const watermark = new FeedWatermark(answering(3), feed, { intervalMs: 60_000, maxAgeMs: 1_500 }, logger, () => now);
    watermark.start();
    await new Promise((resolve) => setImmediate(resolve));
    try {
      // Answered, but the feed has not read that far: nothing proven yet.
      now = 1_400;
      expect(watermark.provenAgeMs()).toBe(400);
      expect(watermark.isCurrent()).toBe(false);
      // Caught up: proven as of the question, sent at 1 000.
      feed.lastSequence = 3;
      now = 1_650;
      expect(watermark.provenAgeMs()).toBe(650);
      expect(watermark.isCurrent()).toBe(true);
      // No newer proof: past maxAgeMs the feed is stale, and the age says by how much.
      now = 2_600;
      expect(watermark.provenAgeMs()).toBe(1_600);
      expect(watermark.isCurrent()).toBe(false);
    } finally {
      watermark.close();
    }
  });
});
