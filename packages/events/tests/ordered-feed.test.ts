/**
 * The resilient ordered feed against a real nats-server of its own: where it starts, and that
 * it reads every message once, in order, across server restarts and its own restarts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { ensureStream } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import { sequenceAtTime } from "../src/stream-position.js";
import { startOrderedFeed, type OrderedFeed } from "../src/ordered-feed.js";
import { eventually, quietLogger, startPrivateNats, type PrivateNats } from "./events-fixtures.js";

let nats: PrivateNats;
let nc: NatsConnection;
const feeds: OrderedFeed[] = [];

beforeAll(async () => {
  nats = await startPrivateNats();
  nc = await connectNats(nats.url, "ordered-feed-test", quietLogger);
  await ensureStream(nc, { replicas: 1, logger: quietLogger });
}, 60_000);
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});
afterAll(async () => {
  await nc?.close();
  await nats?.dispose();
});

let topicCount = 0;
/** A subject of its own per test, so tests never read each other's messages. */
const newTopic = () => `asky.feedtest.t${++topicCount}`;

async function publish(subject: string, values: number[]): Promise<number[]> {
  const js = jetstream(nc);
  const sequences: number[] = [];
  for (const value of values) sequences.push((await js.publish(subject, JSON.stringify({ value }))).seq);
  return sequences;
}

/** Waits until JetStream answers again on the test's connection. */
async function jetStreamUp(): Promise<void> {
  await eventually(
    async () => {
      try {
        await (await jetstreamManager(nc, { timeout: 1_000 })).streams.info(STREAM_NAME);
        return true;
      } catch {
        return false;
      }
    },
    30_000,
    "JetStream to answer",
  );
}

function collect(
  subject: string,
  start: Parameters<typeof startOrderedFeed>[0]["start"],
  handle?: (value: number) => void,
) {
  const values: number[] = [];
  const feed = startOrderedFeed({
    nats: nc,
    filterSubjects: subject,
    start,
    logger: quietLogger,
    retry: { initialMs: 50, maxMs: 500 },
    handle: (message) => {
      const { value } = message.json<{ value: number }>();
      handle?.(value);
      values.push(value);
    },
  });
  feeds.push(feed);
  return { feed, values };
}

describe("sequenceAtTime", () => {
  it("finds the first message at or after an instant, stepping over deleted sequences", async () => {
    const subject = newTopic();
    const early = await publish(subject, [1, 2, 3, 4, 5]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const boundary = new Date();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = await publish(subject, [6, 7, 8, 9, 10]);
    const jsm = await jetstreamManager(nc);
    expect(await sequenceAtTime(jsm, STREAM_NAME, boundary)).toBe(late[0]);

    // Without the first late message, and a hole on each side, the answer is still right.
    for (const seq of [early[3]!, early[4]!, late[0]!, late[1]!]) await jsm.streams.deleteMessage(STREAM_NAME, seq);
    const from = await sequenceAtTime(jsm, STREAM_NAME, boundary);
    expect(from).toBeGreaterThan(early[2]!);
    expect(from).toBeLessThanOrEqual(late[2]!);
    expect(await sequenceAtTime(jsm, STREAM_NAME, new Date(Date.now() + 60_000))).toBe(
      (await jsm.streams.info(STREAM_NAME)).state.last_seq + 1,
    );
  });
});

describe("startOrderedFeed", () => {
  it("reads from a start time, and every later message once, in order, across two nats-server restarts", async () => {
    const subject = newTopic();
    await publish(subject, [1, 2]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const since = new Date();
    await publish(subject, [3, 4]);
    const { feed, values } = collect(subject, { kind: "time", since: () => since });
    await eventually(async () => values.length === 2, 10_000, "the messages since the start time");

    for (const batch of [
      [5, 6],
      [7, 8],
    ]) {
      await nats.stop();
      await nats.start();
      await jetStreamUp();
      await publish(subject, batch);
    }
    await eventually(async () => values.length === 6, 30_000, "every message after the restarts");
    expect(values).toEqual([3, 4, 5, 6, 7, 8]);
    expect(feed.lastSequence).toBe(
      (await (await jetstreamManager(nc)).streams.getMessage(STREAM_NAME, { last_by_subj: subject }))!.seq,
    );

    // What the server got asked for: a start sequence, never a start time it could refuse.
    const consumers = await (await jetstreamManager(nc)).consumers.list(STREAM_NAME).next();
    for (const consumer of consumers) expect(consumer.config.opt_start_time).toBeUndefined();
  }, 90_000);

  it("reopens from the last sequence + 1 when restarted, and skips a message its handler throws on", async () => {
    const subject = newTopic();
    const { feed, values } = collect(subject, { kind: "new" }, (value) => {
      if (value === 2) throw new Error("unreadable");
    });
    await eventually(async () => feed.lastSequence !== null, 10_000, "the feed to start");
    await publish(subject, [1, 2, 3]);
    await eventually(async () => values.length === 2, 10_000, "the first messages");
    feed.restart("test");
    await publish(subject, [4, 5]);
    await eventually(async () => values.length === 4, 10_000, "the messages after the restart");
    expect(values).toEqual([1, 3, 4, 5]);
  });

  it("keeps trying while nats-server is down and starts reading when it is back", async () => {
    const subject = newTopic();
    await nats.stop();
    const { values } = collect(subject, { kind: "sequence", sequence: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await nats.start();
    await jetStreamUp();
    await publish(subject, [1, 2]);
    await eventually(async () => values.length === 2, 30_000, "the messages");
    expect(values).toEqual([1, 2]);
  }, 60_000);

  it("tells whether it has handled every stored message, and rejects while JetStream does not answer", async () => {
    const subject = newTopic();
    const caughtUp = (feed: OrderedFeed) => feed.caughtUp(1_000).catch(() => false);
    const { feed } = collect(subject, { kind: "new" });
    await eventually(async () => feed.lastSequence !== null, 10_000, "the feed to start");
    // Idle, with other subjects' messages in the stream: nothing of its own left to read.
    await publish(newTopic(), [0]);
    await eventually(() => caughtUp(feed), 10_000, "an idle feed to be caught up");

    const gate: { release?: () => void } = {};
    const gated = startOrderedFeed({
      nats: nc,
      filterSubjects: subject,
      start: { kind: "new" },
      logger: quietLogger,
      handle: () => new Promise<void>((resolve) => (gate.release = resolve)),
    });
    feeds.push(gated);
    await eventually(async () => gated.lastSequence !== null, 10_000, "the gated feed to start");
    await publish(subject, [1]);
    await eventually(async () => gate.release !== undefined, 10_000, "the handler to run");
    expect(await gated.caughtUp(1_000)).toBe(false);
    gate.release?.();
    await eventually(() => caughtUp(gated), 10_000, "the gated feed to be caught up");

    nats.pause();
    try {
      await expect(feed.caughtUp(500)).rejects.toThrow();
    } finally {
      nats.resume();
    }
    await eventually(() => caughtUp(feed), 10_000, "the feed to be caught up after the stall");
  }, 60_000);
});
