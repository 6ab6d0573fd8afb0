/**
 * The scale-up's retry when JetStream leaves an update unanswered, as nats-server 2.9 does with
 * all but one of simultaneous updates. The cluster behaviour itself is in nats-cluster.test.ts;
 * an unanswered update that was also never applied cannot be provoked on demand there.
 */
import { describe, expect, it } from "vitest";
import type { StreamInfo } from "@nats-io/jetstream";
import { createLogger } from "@asky/runtime";
import { scaleStreamUp, type StreamAdmin } from "../../src/ensure-stream.js";

function infoWith(replicas: number): StreamInfo {
  return { config: { num_replicas: replicas }, cluster: { name: "asky" } } as StreamInfo;
}

/** A stream API whose first `dropped` updates time out without being applied. */
function streamsDropping(dropped: number) {
  let replicas = 1;
  let updates = 0;
  const admin: StreamAdmin = {
    streams: {
      add: () => Promise.reject(new Error("not used")),
      info: () => Promise.resolve(infoWith(replicas)),
      update: (_name, change) => {
        updates++;
        if (updates <= dropped) return Promise.reject(new Error("TimeoutError: timeout"));
        replicas = change?.num_replicas ?? replicas;
        return Promise.resolve(infoWith(replicas));
      },
    },
  };
  return { admin, updates: () => updates };
}

describe("scaleStreamUp", () => {
  const logger = createLogger("scale-test", "silent");

  it("asks again when an update goes unanswered and was not applied, and ends at the count asked", async () => {
    const { admin, updates } = streamsDropping(2);
    const info = await scaleStreamUp(admin, infoWith(1), 3, logger);
    expect(info.config.num_replicas).toBe(3);
    expect(updates()).toBe(3);
  });

  it("gives up after three unanswered updates, returning the stream as it is, to be raised on the next call", async () => {
    const { admin, updates } = streamsDropping(10);
    const info = await scaleStreamUp(admin, infoWith(1), 3, logger);
    expect(info.config.num_replicas).toBe(1);
    expect(updates()).toBe(3);
  });
});
