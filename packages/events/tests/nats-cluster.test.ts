/**
 * The ASKY stream on a real JetStream cluster of 3 nats-servers (loopback, one process each),
 * and on a single server asked for more copies than it can keep (NATS_STREAM_REPLICAS).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { inject } from "vitest";
import { sql } from "drizzle-orm";
import { jetstream, jetstreamManager, type StreamInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { startNatsCluster, startReplica, type RunningNatsCluster } from "@asky/stack/testing";
import { createEnvelope } from "@asky/contracts";
import { commonEnv, createLogger, loadConfig } from "@asky/runtime";
import { findFreePort } from "@asky/stack";
import { appendEvent } from "../src/append-event.js";
import { startDurableConsumer, type DurableConsumer } from "../src/durable-consumer.js";
import { startOrderedFeed, type OrderedFeed } from "../src/ordered-feed.js";
import { ensureStream, StreamReplicasError } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import { startOutboxRelay, type OutboxRelay } from "../src/outbox-relay.js";
import {
  createEventSchema,
  eventually,
  quietLogger,
  readStream,
  startPrivateNats,
  type EventSchemaFixture,
  type PrivateNats,
} from "./events-fixtures.js";

const SUBJECT = "asky.test.clustered";

/**
 * The stream's info once JetStream reports a leader and every other copy current. A timeout
 * says what the stream looked like last, so a failure on a loaded machine can be told apart
 * from a scale-up that never landed.
 */
async function settled(nc: NatsConnection, replicas: number, timeoutMs = 15_000): Promise<StreamInfo> {
  const jsm = await jetstreamManager(nc);
  // Held in an object: TypeScript cannot see the callback assign a plain local.
  const last: { info: StreamInfo | null } = { info: null };
  try {
    return await eventually(
      async () => {
        const info = await jsm.streams.info(STREAM_NAME).catch(() => null);
        last.info = info ?? last.info;
        const peers = info?.cluster?.replicas ?? [];
        const ready =
          info?.config.num_replicas === replicas &&
          Boolean(info.cluster?.leader) &&
          peers.length === replicas - 1 &&
          peers.every((peer) => peer.current && !peer.offline);
        return ready ? info : null;
      },
      timeoutMs,
      `the stream's leader and ${replicas - 1} current peers`,
    );
  } catch (error) {
    const seen = last.info;
    const state = seen ? JSON.stringify({ replicas: seen.config.num_replicas, cluster: seen.cluster }) : "no stream";
    throw new Error(`${(error as Error).message}; last seen: ${state}`, { cause: error });
  }
}

/** Asks the consumer's leader to step down until JetStream elects one on `node`. */
async function moveConsumerLeader(nc: NatsConnection, durable: string, node: string): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await eventually(
    async () => {
      const info = await jsm.consumers.info(STREAM_NAME, durable).catch(() => null);
      const leader = info?.cluster?.leader;
      if (leader === node) return true;
      if (leader)
        await nc.request(`$JS.API.CONSUMER.LEADER.STEPDOWN.${STREAM_NAME}.${durable}`, "", { timeout: 2_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      return false;
    },
    20_000,
    `the consumer's leader on ${node}`,
  );
}

function membersOf(info: StreamInfo): string[] {
  return [info.cluster?.leader ?? "", ...(info.cluster?.replicas ?? []).map((peer) => peer.name)].sort();
}

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

/**
 * A cluster of its own: on nats-server 2.9, a stream deleted and created again after one of
 * its nodes was restarted (as the tests above do) can leave that node's copy behind for good.
 */
describe("an ordered feed on a JetStream cluster of 3", () => {
  let cluster: RunningNatsCluster;
  let nc: NatsConnection;
  const connections: NatsConnection[] = [];
  const feeds: OrderedFeed[] = [];

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
    nc = await connectNats(cluster.urls, "ordered-feed-cluster-test", quietLogger);
  });

  afterAll(async () => {
    await nc?.close();
    await cluster?.dispose();
  });

  afterEach(async () => {
    await Promise.all(feeds.splice(0).map((feed) => feed.close()));
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });

  /** Publishes until the stream takes it: while the cluster elects a leader a publish fails. */
  async function publish(index: number, into: number[]): Promise<void> {
    const js = jetstream(nc, { timeout: 1_000 });
    await eventually(
      async () => {
        try {
          into.push((await js.publish(SUBJECT, JSON.stringify({ index }), { msgID: `feed-${index}` })).seq);
          return true;
        } catch {
          return false;
        }
      },
      30_000,
      `message ${index} stored`,
    );
  }

  /** One feed per member, each connected to that member only, reading everything from sequence 1. */
  async function startFeeds(): Promise<{ node: string; read: number[]; name: string }[]> {
    return Promise.all(
      cluster.nodes.map(async (node) => {
        const connection = await connectNats(node.url, `cluster-feed-${node.name}`, quietLogger);
        connections.push(connection);
        const read: number[] = [];
        const name = `cluster-test-${node.name}-${connections.length}`;
        feeds.push(
          startOrderedFeed({
            nats: connection,
            name,
            filterSubjects: SUBJECT,
            start: { kind: "sequence", sequence: 1 },
            logger: quietLogger,
            retry: { initialMs: 100, maxMs: 1_000 },
            handle: (message) => void read.push(message.seq),
          }),
        );
        return { node: node.name, read, name };
      }),
    );
  }

  it("reads every message once and in order when the node hosting its consumer is SIGKILLed while its own connection stays up, and after the node's return", async () => {
    await ensureStream(nc, { replicas: 3, logger: quietLogger });
    await settled(nc, 3);
    const published: number[] = [];
    for (let i = 0; i < 5; i++) await publish(i, published);

    // Ordered consumers have one copy, placed by the cluster: start feeds until one of them
    // has its consumer on another member than the one its connection goes to.
    let orphaned: { feed: { node: string; read: number[]; name: string }; host: string } | null = null;
    let readers: { node: string; read: number[]; name: string }[] = [];
    for (let attempt = 0; attempt < 10 && orphaned === null; attempt++) {
      await Promise.all(feeds.splice(0).map((feed) => feed.close()));
      readers = await startFeeds();
      const jsm = await jetstreamManager(nc);
      const hosts = await eventually(
        async () => {
          const listed = await jsm.consumers.list(STREAM_NAME).next();
          const found = readers.map(
            (reader) => listed.find((consumer) => consumer.name.startsWith(`${reader.name}_`))?.cluster?.leader,
          );
          return found.every(Boolean) ? (found as string[]) : null;
        },
        10_000,
        "every feed's consumer and its host",
      );
      const index = readers.findIndex((reader, i) => reader.node !== hosts[i]);
      if (index >= 0) orphaned = { feed: readers[index]!, host: hosts[index]! };
    }
    expect(orphaned, "a feed whose consumer is on another member than its connection").not.toBeNull();
    const { feed, host } = orphaned!;
    await eventually(async () => readers.every((reader) => reader.read.length === 5), 10_000, "the first messages");

    const victim = cluster.node(host);
    const killedAt = Date.now();
    await victim.kill("SIGKILL");
    for (let i = 5; i < 15; i++) await publish(i, published);
    // The feed whose connection stayed up learns nothing from its connection: only the
    // consumer's silence tells it, and it must read on from a consumer on a live member.
    await eventually(async () => feed.read.length === published.length, 20_000, `${feed.name} reading again`);
    const readAgainMs = Date.now() - killedAt;

    await victim.start();
    await settled(nc, 3, 30_000);
    for (let i = 15; i < 20; i++) await publish(i, published);
    await eventually(
      async () => readers.every((reader) => reader.read.length >= published.length),
      20_000,
      "every feed reading after the node's return",
    ).catch((error: unknown) => {
      const counts = readers.map((reader) => `${reader.name} ${reader.read.length}`).join(", ");
      throw new Error(`${(error as Error).message} (of ${published.length}: ${counts})`, { cause: error });
    });
    // Anything read twice would arrive just behind.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const reader of readers) expect(reader.read, reader.name).toEqual(published);
    // Two missed heartbeats (2–3 s), then a consumer on a live member once the cluster has
    // elected leaders again (seconds): well under the 30 s the library would wait per retry.
    expect(readAgainMs).toBeLessThan(15_000);
    console.info(`${feed.name}: reading again ${readAgainMs} ms after its consumer's node (${host}) died`);
  }, 120_000);
});

describe("NATS_STREAM_REPLICAS above 1 on a single nats-server", () => {
  let nats: PrivateNats;
  let nc: NatsConnection;

  beforeAll(async () => {
    nats = await startPrivateNats();
    nc = await connectNats(nats.url, "single-server-test", quietLogger);
  });

  afterAll(async () => {
    await nc?.close();
    await nats?.dispose();
  });

  beforeEach(async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(STREAM_NAME).catch(() => undefined);
  });

  const clearly = {
    name: "StreamReplicasError",
    code: "NATS_STREAM_REPLICAS_UNSUPPORTED",
    fatal: true,
    message: expect.stringMatching(/NATS_STREAM_REPLICAS=3.*not a JetStream cluster.*NATS_STREAM_REPLICAS=1/),
  };

  it("is a clear, fatal error when the stream is to be created", async () => {
    const attempt = ensureStream(nc, { replicas: 3, logger: quietLogger });
    await expect(attempt).rejects.toBeInstanceOf(StreamReplicasError);
    await expect(attempt).rejects.toMatchObject(clearly);
    const jsm = await jetstreamManager(nc);
    await expect(jsm.streams.info(STREAM_NAME)).rejects.toThrow(/stream not found/);
  });

  it("is the same error when the stream exists with one copy, which is left as it is", async () => {
    await ensureStream(nc, { replicas: 1, logger: quietLogger });
    await expect(ensureStream(nc, { replicas: 3, logger: quietLogger })).rejects.toMatchObject(clearly);
    // nats-server 2.9 would accept the update silently and record 3 copies it does not keep.
    const jsm = await jetstreamManager(nc);
    expect((await jsm.streams.info(STREAM_NAME)).config.num_replicas).toBe(1);
  });

  it("fails a subgraph's start with that message, instead of the start going on and every loop retrying", async () => {
    await expect(startReplica("users", { NATS_URL: nats.url, NATS_STREAM_REPLICAS: "3" })).rejects.toThrow(
      /exited with code 1[\s\S]*NATS_STREAM_REPLICAS=3, but the NATS server is not a JetStream cluster/,
    );
  }, 90_000);
});
