import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { sql } from "drizzle-orm";
import type { NatsConnection } from "@nats-io/transport-node";
import type {} from "@asky/stack/testing";
import type { OutboxRelay } from "../src/outbox-relay.js";
import { connectNats } from "../src/nats.js";
import {
  commitEvents,
  createEventSchema,
  eventually,
  quietLogger,
  readStream,
  startPrivateNats,
  startTestRelay,
  unpublishedCount,
  type EventSchemaFixture,
  type PrivateNats,
} from "./events-fixtures.js";

let fixture: EventSchemaFixture;
let nats: PrivateNats;
let nc: NatsConnection;
const relays: OutboxRelay[] = [];

function relay(options: { pollIntervalMs?: number; leaderRetryMs?: number } = {}): OutboxRelay {
  const started = startTestRelay(fixture, nc, {
    retry: { initialMs: 50, maxMs: 500 },
    publishTimeoutMs: 1_000,
    ...options,
  });
  relays.push(started);
  return started;
}

/** Commits `count` events, one transaction each, and returns their ids in commit order. */
const produce = (count: number, subject = "asky.test.happened") =>
  commitEvents(fixture, subject, count, (i) => ({ index: i }));
const unpublished = () => unpublishedCount(fixture);

async function ourEvents(ids: string[]) {
  const wanted = new Set(ids);
  return (await readStream(nc)).filter((event) => wanted.has(event.eventId));
}

beforeAll(async () => {
  fixture = await createEventSchema(inject("adminDatabaseUrl"));
  nats = await startPrivateNats();
  nc = await connectNats(nats.url, "events-relay-test", quietLogger);
});

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
  await nc?.close();
  await nats?.dispose();
  await fixture?.drop();
});

describe("outbox relay", () => {
  it("publishes committed events in seq order with msgID = event id, woken by NOTIFY", async () => {
    // A poll interval far longer than the test: only the NOTIFY can make this fast.
    const running = relay({ pollIntervalMs: 60_000 });
    await eventually(async () => running.leading, 10_000, "leadership");
    const started = Date.now();
    const ids = await produce(20);
    await eventually(async () => (await unpublished()) === 0, 5_000, "publication");
    expect(Date.now() - started).toBeLessThan(5_000);

    const streamed = await ourEvents(ids);
    expect(streamed.map((event) => event.eventId)).toEqual(ids);
    expect(streamed.every((event) => event.msgId === event.eventId && event.subject === "asky.test.happened")).toBe(
      true,
    );
    // No tracer provider in this process (tracing off): no context is stored or sent.
    expect(streamed.every((event) => event.traceparent === undefined)).toBe(true);
    const { rows } = await fixture.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${fixture.tables.outbox} where headers is not null`,
    );
    expect(rows[0]!.n).toBe(0);
    await running.close();
  });

  it("holds events while NATS is down and publishes them all, in order and once, when it returns", async () => {
    const running = relay({ pollIntervalMs: 200 });
    const before = await produce(2);
    await eventually(async () => (await unpublished()) === 0, 10_000, "first publication");

    await nats.stop();
    const during = await produce(5);
    // The relay keeps retrying the first held row; it never skips it or stamps it.
    await eventually(
      async () => {
        const { rows } = await fixture.db.execute<{ attempts: number }>(
          sql`select attempts from ${fixture.tables.outbox} where id = ${during[0]!}`,
        );
        return rows[0]!.attempts >= 1;
      },
      15_000,
      "a failed attempt",
    );
    expect(await unpublished()).toBe(5);

    await nats.start();
    await eventually(async () => (await unpublished()) === 0, 30_000, "publication after NATS returned");
    const streamed = await ourEvents([...before, ...during]);
    expect(streamed.map((event) => event.eventId)).toEqual([...before, ...during]);
    await running.close();
  }, 60_000);

  it("lets one replica lead at a time and hands over when the leader stops", async () => {
    const first = relay({ leaderRetryMs: 200 });
    await eventually(async () => first.leading, 10_000, "first leader");
    const second = relay({ leaderRetryMs: 200 });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(second.leading).toBe(false);

    const ids = await produce(10);
    await eventually(async () => (await unpublished()) === 0, 10_000, "publication");
    await first.close();
    await eventually(async () => second.leading, 10_000, "handover");
    const more = await produce(3);
    await eventually(async () => (await unpublished()) === 0, 10_000, "publication by the new leader");

    const streamed = await ourEvents([...ids, ...more]);
    expect(streamed.map((event) => event.eventId)).toEqual([...ids, ...more]);
    await second.close();
  });
});
