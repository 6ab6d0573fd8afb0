/**
 * What the relay and consumer lags measure from: the outbox row's insert and the stream's
 * timestamp, never the event's occurredAt (seeded history and backfills carry old ones).
 */
import { describe, expect, it } from "vitest";
import { relayLagSeconds } from "../../src/relay-metrics.js";
import { secondsSinceStored } from "../../src/consumer-metrics.js";

describe("relayLagSeconds", () => {
  it("adds the row's age at the claim to the time the publish took since", () => {
    expect(relayLagSeconds(0.25, 750)).toBe(1);
    expect(relayLagSeconds(40, 0)).toBe(40);
  });

  it("counts a negative age or duration as none", () => {
    expect(relayLagSeconds(-2, 500)).toBe(0.5);
    expect(relayLagSeconds(1, -500)).toBe(1);
  });

  it("records nothing for an age that is not a number", () => {
    for (const age of [null, undefined, "0.5", Number.NaN, Number.POSITIVE_INFINITY, {}]) {
      expect(relayLagSeconds(age, 10)).toBeNull();
    }
  });
});

describe("secondsSinceStored", () => {
  const now = Date.parse("2026-11-30T12:00:00.000Z");
  const nanos = (ms: number) => BigInt(ms) * 1_000_000n;

  it("measures from the stream's timestamp, to the millisecond", () => {
    expect(secondsSinceStored(nanos(now - 1_500), now)).toBe(1.5);
    expect(secondsSinceStored(nanos(now) + 999_999n, now)).toBe(0);
  });

  it("gives no lag for a stream clock ahead of this host's", () => {
    expect(secondsSinceStored(nanos(now + 2_000), now)).toBe(0);
  });
});
