import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { sql } from "drizzle-orm";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type {} from "@asky/stack/testing";
import { createEnvelope, type EventEnvelope } from "@asky/contracts";
import { startDurableConsumer, type DurableConsumer } from "../src/durable-consumer.js";
import { ensureStream } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import {
  createEventSchema,
  eventually,
  parseNote,
  quietLogger,
  startPrivateNats,
  type EventSchemaFixture,
  type PrivateNats,
} from "./events-fixtures.js";

interface Happened {
  note: string;
}

let fixture: EventSchemaFixture;
let nats: PrivateNats;
let nc: NatsConnection;
let consumer: DurableConsumer;
/** Event ids whose first handling attempt fails, to prove the retry path. */
const failOnce = new Set<string>();

async function effects(eventId: string): Promise<number> {
  const { rows } = await fixture.pool.query<{ n: number }>(
    `select count(*)::int as n from ${fixture.name}.effects where event_id = $1`,
    [eventId],
  );
  return rows[0]!.n;
}

async function publish(envelope: ReturnType<typeof createEnvelope>, msgID: string): Promise<void> {
  await jetstream(nc).publish(envelope.subject, JSON.stringify(envelope), { msgID });
}

/** Publishes as soon as JetStream takes it (the broker may be starting, the stream missing). */
async function publishWhenUp(envelope: ReturnType<typeof createEnvelope>): Promise<void> {
  await eventually(
    async () => {
      try {
        await jetstream(nc, { timeout: 500 }).publish(envelope.subject, JSON.stringify(envelope), {
          msgID: envelope.id,
        });
        return true;
      } catch {
        return false;
      }
    },
    20_000,
    "JetStream to take a publish",
  );
}

/** Milliseconds from now until the event's effect is committed. */
async function applied(envelope: EventEnvelope<Happened>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await eventually(async () => (await effects(envelope.id)) === 1, timeoutMs, `the effect of "${envelope.data.note}"`);
  return Date.now() - started;
}

/** How soon after the broker is back (or has lost the consumer) effects must flow again. */
const RESUME_BOUND_MS = 3_000;

beforeAll(async () => {
  fixture = await createEventSchema(inject("adminDatabaseUrl"));
  nats = await startPrivateNats();
  nc = await connectNats(nats.url, "events-consumer-test", quietLogger);
  await ensureStream(nc, { replicas: 1, logger: quietLogger });
  consumer = startDurableConsumer({
    nats: nc,
    streamReplicas: 1,
    db: fixture.db,
    processedEvents: fixture.tables.processedEvents,
    durable: "test-happened",
    subject: "asky.test.happened",
    logger: quietLogger,
    parse: parseNote,
    handle: async (event, tx) => {
      await tx.execute(
        sql`insert into ${sql.identifier(fixture.name)}.effects (event_id, note) values (${event.id}, ${event.data.note})`,
      );
      if (failOnce.delete(event.id)) throw new Error("transient failure");
    },
  });
});

afterAll(async () => {
  await consumer?.close();
  await nc?.close();
  await nats?.dispose();
  await fixture?.drop();
});

describe("durable consumer", () => {
  it("applies an event once even when JetStream delivers it twice", async () => {
    const envelope = createEnvelope("asky.test.happened", { note: "twice" });
    // Two msgIDs defeat the stream's dedupe: the consumer itself must be idempotent.
    await publish(envelope, envelope.id);
    await publish(envelope, `${envelope.id}-again`);
    await eventually(async () => (await effects(envelope.id)) === 1, 10_000, "the effect");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await effects(envelope.id)).toBe(1);
    const { rows } = await fixture.pool.query(
      `select consumer from ${fixture.name}.processed_events where event_id = $1`,
      [envelope.id],
    );
    expect(rows).toEqual([{ consumer: "test-happened" }]);
  });

  it("rolls back a failed attempt and applies the redelivery", async () => {
    const envelope = createEnvelope("asky.test.happened", { note: "retry" });
    failOnce.add(envelope.id);
    await publish(envelope, envelope.id);
    await eventually(async () => (await effects(envelope.id)) === 1, 15_000, "the retried effect");
    expect(failOnce.has(envelope.id)).toBe(false);
  });

  it("terminates a payload it cannot read and keeps consuming", async () => {
    const bad = createEnvelope("asky.test.happened", { wrong: true });
    const good = createEnvelope("asky.test.happened", { note: "after the bad one" });
    await publish(bad, bad.id);
    await publish(good, good.id);
    await eventually(async () => (await effects(good.id)) === 1, 10_000, "the next event");
    expect(await effects(bad.id)).toBe(0);
  });

  it("resumes within 3 s of a nats-server restart", async () => {
    const before = createEnvelope("asky.test.happened", { note: "before the restart" });
    await publish(before, before.id);
    await applied(before, 10_000);

    await nats.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await nats.start();
    const backAt = Date.now();
    const after = createEnvelope("asky.test.happened", { note: "after the restart" });
    await publishWhenUp(after);
    await applied(after, 20_000);
    expect(Date.now() - backAt, "from the broker's return to the effect").toBeLessThan(RESUME_BOUND_MS);
    expect(await effects(before.id)).toBe(1);
  }, 60_000);

  it("creates its consumer again, with the same configuration, when the server has lost it", async () => {
    const jsm = await jetstreamManager(nc);
    const { config } = await jsm.consumers.info(STREAM_NAME, "test-happened");
    await jsm.consumers.delete(STREAM_NAME, "test-happened");
    const lost = createEnvelope("asky.test.happened", { note: "after the consumer was lost" });
    await publish(lost, lost.id);
    expect(await applied(lost, 20_000)).toBeLessThan(RESUME_BOUND_MS);

    // And when the whole stream went (a broker started on an empty store): no start position
    // the server could refuse, every event of the new stream handled.
    await jsm.streams.delete(STREAM_NAME);
    const fresh = createEnvelope("asky.test.happened", { note: "on a new stream" });
    await publishWhenUp(fresh);
    expect(await applied(fresh, 20_000)).toBeLessThan(RESUME_BOUND_MS);
    const recreated = await jsm.consumers.info(STREAM_NAME, "test-happened");
    expect(recreated.config.deliver_policy).toBe(config.deliver_policy);
    expect(recreated.config.opt_start_seq).toBeUndefined();
    expect(recreated.config.opt_start_time).toBeUndefined();
  }, 60_000);
});
