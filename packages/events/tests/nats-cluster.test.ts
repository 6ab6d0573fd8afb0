/**
 * The ASKY stream on a real JetStream cluster of 3 nats-servers (loopback, one process each): created
 * and scaled to 3 replicas, and an outbox relay and a durable consumer carried through a member's loss.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { sql } from "drizzle-orm";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { startNatsCluster, type RunningNatsCluster } from "@asky/stack/testing";
import { createEnvelope } from "@asky/contracts";
import { commonEnv, createLogger, loadConfig } from "@asky/runtime";
import { findFreePort } from "@asky/stack";
import { appendEvent } from "../src/append-event.js";
import { startDurableConsumer, type DurableConsumer } from "../src/durable-consumer.js";
import { ensureStream } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import { startOutboxRelay, type OutboxRelay } from "../src/outbox-relay.js";
import { createEventSchema, eventually, quietLogger, readStream, type EventSchemaFixture } from "./events-fixtures.js";
import { SUBJECT, settled, moveConsumerLeader, membersOf } from "./cluster-fixtures.js";

describe("the ASKY stream on a JetStream cluster of 3", () => {
  let cluster: RunningNatsCluster;
  let nc: NatsConnection;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    // As a service connects: NATS_URL lists the members, here after one that is not there.
    const nowhere = `nats://127.0.0.1:${await findFreePort()}`;
    const { natsUrls } = loadConfig({ natsUrls: commonEnv.natsUrls }, { NATS_URL: `${nowhere},${cluster.natsUrl}` });
    expect(natsUrls).toEqual([nowhere, ...cluster.urls]);
    nc = await connectNats(natsUrls, "cluster-test", quietLogger);
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.dispose();
  });

  beforeEach(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(STREAM_NAME).catch(() => undefined);
  });

  it("connects through a NATS_URL listing every member, and creates the stream with 3 replicas: a leader and 2 peers", async () => {
    const created = await ensureStream(nc, { replicas: 3, logger: quietLogger });
    expect(created.config.num_replicas).toBe(3);
    const info = await settled(nc, 3);
    expect(membersOf(info)).toEqual(["n1", "n2", "n3"]);
  });

  it("scales an R1 stream up to 3 on a start with 3, keeping its messages, and never back down on a start with 1", async () => {
    const logger = createLogger("cluster-test", "silent");
    const warn = vi.spyOn(logger, "warn");
    const first = await ensureStream(nc, { replicas: 1, logger });
    expect(first.config.num_replicas).toBe(1);
    const js = jetstream(nc);
    for (let i = 0; i < 3; i++) await js.publish(SUBJECT, JSON.stringify({ i }), { msgID: `before-${i}` });

    await ensureStream(nc, { replicas: 3, logger });
    const scaled = await settled(nc, 3);
    expect(membersOf(scaled)).toEqual(["n1", "n2", "n3"]);
    expect(scaled.state.messages).toBe(3);

    // A service still configured with 1 (an older deployment, say) leaves it at 3, and says so.
    const kept = await ensureStream(nc, { replicas: 1, logger });
    expect(kept.config.num_replicas).toBe(3);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ replicas: 3, configured: 1 }),
      expect.stringMatching(/NATS_STREAM_REPLICAS=1 never scales it down/),
    );
    expect((await settled(nc, 3)).config.num_replicas).toBe(3);
  });

  it("ends at 3 when starts with 1 and with 3 race (a rollout from 1 to 3), and no later start with less moves it", async () => {
    // nats-server 2.9 answers only one of simultaneous creates (or updates) of a stream; the
    // others time out and learn the outcome by reading the stream. A short bound keeps this quick.
    const start = (replicas: number) => ensureStream(nc, { replicas, logger: quietLogger, timeoutMs: 2_000 });
    const starts = [1, 3, 1, 3, 1].map(start);
    await Promise.all(starts);
    await settled(nc, 3);
    // Starts with 1 never write to an existing stream, so whichever order the creates and the
    // scale-up land in, the stream ends at 3 and stays there.
    await Promise.all([1, 2, 1].map(start));
    expect((await settled(nc, 3)).config.num_replicas).toBe(3);
  });

  describe("with an outbox relay and a durable consumer", () => {
    let fixture: EventSchemaFixture;
    let relayNats: NatsConnection | undefined;
    let consumerNats: NatsConnection | undefined;
    let relay: OutboxRelay | undefined;
    let consumer: DurableConsumer | undefined;
    /** Handler calls per event id: a duplicate delivery must never reach the handler. */
    const calls = new Map<string, number>();

    beforeAll(async () => {
      fixture = await createEventSchema(inject("adminDatabaseUrl"));
    });

    afterEach(async () => {
      await relay?.close();
      await consumer?.close();
      await relayNats?.close();
      await consumerNats?.close();
    });

    afterAll(async () => {
      await fixture?.drop();
    });

    async function produce(count: number, into: string[]): Promise<void> {
      for (let i = 0; i < count; i++) {
        const envelope = createEnvelope(SUBJECT, { index: into.length });
        await fixture.db.transaction((tx) => appendEvent(tx, fixture.tables.outbox, envelope));
        into.push(envelope.id);
      }
    }

    async function handledAll(ids: readonly string[], timeoutMs: number, what: string): Promise<void> {
      await eventually(async () => ids.every((id) => calls.has(id)), timeoutMs, what);
    }

    it("loses no event and hands none to the handler twice when the stream leader's node is SIGKILLed mid-way and comes back", async () => {
      await ensureStream(nc, { replicas: 3, logger: quietLogger });
      const before = await settled(nc, 3);
      const leader = cluster.node(before.cluster!.leader!);

      const survivor = cluster.nodes.find((node) => node !== leader)!;
      // The relay's connection knows only the leader's node: when it dies, the client must
      // find the others (learned from the cluster) and the relay re-publish what was not acked.
      relayNats = await connectNats(leader.url, "cluster-test-relay", quietLogger);
      // The consumer's is on a node that stays up: no reconnect tells it anything happened.
      consumerNats = await connectNats(survivor.url, "cluster-test-consumer", quietLogger);
      relay = startOutboxRelay({
        service: fixture.name,
        databaseUrl: inject("adminDatabaseUrl"),
        outbox: fixture.tables.outbox,
        nats: relayNats,
        streamReplicas: 3,
        logger: quietLogger,
        pollIntervalMs: 100,
        publishTimeoutMs: 1_000,
        retry: { initialMs: 50, maxMs: 250 },
      });
      consumer = startDurableConsumer({
        nats: consumerNats,
        streamReplicas: 3,
        db: fixture.db,
        processedEvents: fixture.tables.processedEvents,
        durable: "cluster-test",
        subject: SUBJECT,
        logger: quietLogger,
        ackWaitMs: 2_000,
        retry: { initialMs: 100, maxMs: 500 },
        parse: (data) => data,
        handle: async (event, tx) => {
          await tx.execute(
            sql`insert into ${sql.identifier(fixture.name)}.effects (event_id, note) values (${event.id}, 'clustered')`,
          );
          calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
        },
      });

      const ids: string[] = [];
      await produce(10, ids);
      await handledAll(ids, 15_000, "the events before the kill");
      // The hardest case: the consumer's leader is on the node that dies, too.
      await moveConsumerLeader(consumerNats, "cluster-test", leader.name);

      // Events keep coming while the leader dies: some are in flight when it does.
      const during = (async () => {
        for (let i = 0; i < 30; i++) {
          await produce(1, ids);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await eventually(async () => ids.length >= 15, 10_000, "events in flight");
      const killedAt = Date.now();
      await leader.kill("SIGKILL");
      await during;
      await handledAll(ids, 40_000, "every event after the leader's node died");
      const recoveredMs = Date.now() - killedAt;
      const newLeader = (await jetstreamManager(consumerNats).then((jsm) => jsm.streams.info(STREAM_NAME))).cluster
        ?.leader;
      expect(newLeader).not.toBe(leader.name);

      await leader.start();
      const after = await settled(consumerNats, 3, 30_000);
      expect(membersOf(after)).toEqual(["n1", "n2", "n3"]);
      await produce(10, ids);
      await handledAll(ids, 15_000, "the events after the node came back");

      expect(ids).toHaveLength(50);
      expect([...calls.values()].every((count) => count === 1)).toBe(true);
      expect(calls.size).toBe(ids.length);
      const { rows } = await fixture.pool.query<{ n: number; distinct: number }>(
        `select count(*)::int as n, count(distinct event_id)::int as distinct from ${fixture.name}.effects`,
      );
      expect(rows[0]).toEqual({ n: ids.length, distinct: ids.length });
      // The stream itself holds each event once: a re-publish after a lost ack was dropped by
      // the new leader's duplicate window (same msgID).
      const stored = (await readStream(consumerNats)).map((event) => event.eventId);
      expect(stored).toEqual(ids);
      // From the kill to the last event handled: a leader election and a reconnect, seconds.
      expect(recoveredMs).toBeLessThan(25_000);
    }, 120_000);
  });
});
