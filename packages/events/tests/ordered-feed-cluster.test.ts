/** An ordered feed on a real JetStream cluster of 3 nats-servers (loopback, one process each). */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { startNatsCluster, type RunningNatsCluster } from "@asky/stack/testing";
import { startOrderedFeed, type OrderedFeed } from "../src/ordered-feed.js";
import { ensureStream } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import { eventually, quietLogger } from "./events-fixtures.js";
import { SUBJECT, settled } from "./cluster-fixtures.js";

/**
 * A cluster of its own: on nats-server 2.9, a stream deleted and created again after one of
 * its nodes was restarted (as nats-cluster.test.ts does) can leave that node's copy behind for good.
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
