import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type {} from "@asky/stack/testing";
import { createEnvelope } from "@asky/contracts";
import { startOrderedFeed, type OrderedFeed } from "../src/ordered-feed.js";
import {
  commitEvent,
  commitEvents,
  eventually,
  parseNote,
  quietLogger,
  startEventsPipeline,
  unpublishedCount,
  type EventSchemaFixture,
  type EventsPipeline,
  type PrivateNats,
} from "./events-fixtures.js";
import { registerTestTelemetry, series, type TestTelemetry } from "./telemetry-fixtures.js";

const SUBJECT = "asky.test.measured";
const DURABLE = "test-measured";

let telemetry: TestTelemetry;
let pipeline: EventsPipeline;
let fixture: EventSchemaFixture;
let nats: PrivateNats;
let nc: NatsConnection;
let feed: OrderedFeed;
/** Event ids whose first handling attempt fails, for a nak and a redelivery. */
const failOnce = new Set<string>();

beforeAll(async () => {
  telemetry = registerTestTelemetry();
  pipeline = await startEventsPipeline({
    connectionName: "events-metrics-test",
    relay: { retry: { initialMs: 50, maxMs: 500 }, publishTimeoutMs: 1_000 },
    consumer: {
      durable: DURABLE,
      subject: SUBJECT,
      parse: parseNote,
      handle: async (event, tx, fixture) => {
        await tx.execute(sql`insert into ${sql.identifier(fixture.name)}.effects (event_id) values (${event.id})`);
        if (failOnce.delete(event.id)) throw new Error("transient failure");
      },
    },
  });
  ({ fixture, nats, nc } = pipeline);
});

afterAll(async () => {
  await feed?.close();
  await pipeline?.close();
  await telemetry?.shutdown();
});

const produce = (count: number) => commitEvents(fixture, SUBJECT, count, (i) => ({ note: `event ${i}` }));
const unpublished = () => unpublishedCount(fixture);

async function effects(): Promise<number> {
  const { rows } = await fixture.pool.query<{ n: number }>(`select count(*)::int as n from ${fixture.name}.effects`);
  return rows[0]!.n;
}

/** The value of the one series of `name` with these attributes; undefined when not observed. */
async function valueOf(name: string, attributes: Record<string, string>): Promise<number | undefined> {
  const found = series(await telemetry.points(name), attributes);
  expect(found.length, `series of ${name}`).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

describe("outbox relay metrics", () => {
  it("counts publishes and failures, times the lag, and reads the backlog at collection", async () => {
    const service = { service: fixture.name };
    await produce(3);
    await eventually(async () => (await unpublished()) === 0, 10_000, "publication");
    expect(await valueOf("asky_outbox_published_total", service)).toBe(3);
    expect(await valueOf("asky_outbox_relay_lag_seconds", service)).toBe(3);
    expect(await valueOf("asky_outbox_backlog", service)).toBe(0);
    expect(await valueOf("asky_outbox_oldest_unpublished_age_seconds", service)).toBe(0);
    expect(await valueOf("asky_outbox_publish_failures_total", service)).toBeUndefined();

    await nats.stop();
    await produce(2);
    await eventually(
      async () => ((await valueOf("asky_outbox_publish_failures_total", service)) ?? 0) >= 1,
      15_000,
      "a failed publish",
    );
    expect(await valueOf("asky_outbox_backlog", service)).toBe(2);
    await eventually(
      async () => ((await valueOf("asky_outbox_oldest_unpublished_age_seconds", service)) ?? 0) > 0.1,
      5_000,
      "the oldest unpublished row to age",
    );

    await nats.start();
    await eventually(async () => (await unpublished()) === 0, 30_000, "publication after NATS returned");
    expect(await valueOf("asky_outbox_published_total", service)).toBe(5);
    expect(await valueOf("asky_outbox_backlog", service)).toBe(0);
  }, 60_000);
});

describe("durable consumer metrics", () => {
  it("times each delivery by outcome, counts redeliveries, and reports lag and pending", async () => {
    const consumerLabel = { consumer: DURABLE };
    // The relay test's five events reach the consumer too.
    await eventually(async () => (await effects()) === 5, 20_000, "the relay test's events to be applied");
    const retried = createEnvelope(SUBJECT, { note: "fails once" });
    failOnce.add(retried.id);
    await commitEvent(fixture, retried);
    const bad = createEnvelope(SUBJECT, { wrong: true });
    await jetstream(nc).publish(SUBJECT, JSON.stringify(bad), { msgID: bad.id });
    await eventually(async () => (await effects()) === 6 && !failOnce.has(retried.id), 20_000, "the retried event");

    const durations = series(await telemetry.points("asky_consumer_process_duration_seconds"), consumerLabel);
    const countOf = (outcome: string) => durations.find((point) => point.attributes["outcome"] === outcome)?.count ?? 0;
    await eventually(async () => countOf("term") === 1 || undefined, 5_000, "the terminated delivery");
    // One redelivery is the nak'ed event's. Acks the broker lost while the relay test stopped it
    // come back as more redeliveries, each acked again as a duplicate: counted, never re-applied.
    const redeliveries = (await valueOf("asky_consumer_redeliveries_total", consumerLabel)) ?? 0;
    expect(redeliveries).toBeGreaterThanOrEqual(1);
    expect(countOf("ack")).toBe(6 + redeliveries - 1);
    expect(countOf("nak")).toBe(1);
    expect(await valueOf("asky_consumer_lag_seconds", consumerLabel)).toBe(6);
    expect(await valueOf("asky_consumer_pending_messages", consumerLabel)).toBe(0);
  }, 60_000);
});

describe("lag of an event about the past", () => {
  it("times the relay from the outbox row and the consumer from the stream, not from occurredAt", async () => {
    const relayed = async () =>
      series(await telemetry.points("asky_outbox_relay_lag_seconds"), { service: fixture.name })[0];
    const consumed = async () => series(await telemetry.points("asky_consumer_lag_seconds"), { consumer: DURABLE })[0];
    const [relayBefore, consumerBefore, applied] = [await relayed(), await consumed(), await effects()];
    // As the demo seed writes history: committed now, about an instant three days back.
    const daysAgo = new Date(Date.now() - 3 * 86_400_000);
    await commitEvent(fixture, createEnvelope(SUBJECT, { note: "seeded history" }, { occurredAt: daysAgo }));
    await eventually(async () => (await effects()) === applied + 1, 20_000, "the old event to be applied");
    await eventually(async () => (await consumed())?.count === (consumerBefore?.count ?? 0) + 1, 5_000, "its lag");

    const relayAfter = await relayed();
    const consumerAfter = await consumed();
    expect(relayAfter?.count).toBe((relayBefore?.count ?? 0) + 1);
    // Measured from occurredAt, either would be three days (259,200 s); an hour bounds any slow run.
    expect(relayAfter!.sum! - (relayBefore?.sum ?? 0)).toBeLessThan(3_600);
    expect(consumerAfter!.sum! - (consumerBefore?.sum ?? 0)).toBeLessThan(3_600);
  }, 60_000);
});

describe("ordered feed metrics", () => {
  it("counts the restarts of a feed by its name", async () => {
    feed = startOrderedFeed({
      nats: nc,
      filterSubjects: SUBJECT,
      start: { kind: "new" },
      handle: () => undefined,
      logger: quietLogger,
      name: "test-feed",
    });
    await eventually(async () => feed.caughtUp(1_000).catch(() => false), 10_000, "the feed to read");
    expect(await valueOf("asky_ordered_feed_restarts_total", { feed: "test-feed" })).toBeUndefined();
    feed.restart("a test");
    await eventually(
      async () => (await valueOf("asky_ordered_feed_restarts_total", { feed: "test-feed" })) === 1,
      10_000,
      "the restart to be counted",
    );
  });
});
