import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "@asky/runtime";
import { EventFeedWatch, type WatchedFeed } from "../../src/subscriptions/event-feed-watch.js";

const options = { intervalMs: 1_000, maxAgeMs: 3_000, stuckAfterMs: 5_000 };

/** A feed whose answers the test sets: caught up, behind, or JetStream not answering. */
class FakeFeed implements WatchedFeed {
  lastSeq = 0;
  answer: "caught up" | "behind" | "no answer" = "caught up";
  readonly restarts: string[] = [];

  async caughtUp(): Promise<boolean> {
    if (this.answer === "no answer") throw new Error("timeout");
    return this.answer === "caught up";
  }

  restart(reason: string): void {
    this.restarts.push(reason);
  }
}

let watch: EventFeedWatch | null = null;
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  watch?.close();
  vi.useRealTimers();
});

function watching(feed: WatchedFeed): EventFeedWatch {
  watch = new EventFeedWatch(feed, options, createLogger("event-feed-watch-test", "silent"), () => Date.now());
  watch.start();
  return watch;
}

describe("EventFeedWatch", () => {
  it("is current while JetStream says the feed is caught up, and stale once that proof is older than maxAgeMs", async () => {
    const feed = new FakeFeed();
    const watch = watching(feed);
    await vi.advanceTimersByTimeAsync(0);
    expect(watch.state()).toBe("current");

    feed.answer = "no answer";
    await vi.advanceTimersByTimeAsync(2_500);
    expect(watch.state()).toBe("current");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(watch.state()).toBe("stale");
    // NATS away: the feed reopens itself on reconnect; nothing to restart here.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(feed.restarts).toEqual([]);

    feed.answer = "caught up";
    await vi.advanceTimersByTimeAsync(1_000);
    expect(watch.state()).toBe("current");
  });

  it("restarts a feed that JetStream says is behind and that reads nothing, once per stuckAfterMs", async () => {
    const feed = new FakeFeed();
    feed.answer = "behind";
    const watch = watching(feed);
    // Behind but reading: slow, not stuck.
    for (let second = 0; second < 8; second++) {
      feed.lastSeq += 1;
      await vi.advanceTimersByTimeAsync(1_000);
    }
    expect(watch.state()).toBe("stale");
    expect(feed.restarts).toEqual([]);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(feed.restarts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(4_000);
    expect(feed.restarts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(feed.restarts).toHaveLength(2);
  });
});
