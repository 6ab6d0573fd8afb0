/** The ASKY stream on a single nats-server asked for more copies than it can keep (NATS_STREAM_REPLICAS). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import { startReplica } from "@asky/stack/testing";
import { ensureStream, StreamReplicasError } from "../src/ensure-stream.js";
import { connectNats, STREAM_NAME } from "../src/nats.js";
import { quietLogger, startPrivateNats, type PrivateNats } from "./events-fixtures.js";

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
