/**
 * The repair of a stream whose configuration asks for copies JetStream never assigned, as
 * nats-server 2.9 leaves one after racing scale-ups. nats-cluster.test.ts races real starts;
 * the stuck state there shows up in some runs only, so the decisions are pinned down here.
 */
import { describe, expect, it } from "vitest";
import type { StreamInfo } from "@nats-io/jetstream";
import { createLogger } from "@asky/runtime";
import { reassignMissingCopies, unassignedCopies, type PeerAdmin } from "../../src/stream-peers.js";

const logger = createLogger("stream-peers-test", "silent");

function infoWith(replicas: number, peers: readonly string[], leader = "n1"): StreamInfo {
  return {
    config: { num_replicas: replicas },
    cluster: { name: "asky", leader, replicas: peers.map((name) => ({ name, current: true, active: 0 })) },
  } as unknown as StreamInfo;
}

/** A stream that stays stuck at `peers` until updated to fewer copies and back up. */
function stuckStream(peersAfterPolls: number | null) {
  let replicas = 3;
  let peers: string[] = [];
  let polls = 0;
  const updates: number[] = [];
  const admin: PeerAdmin = {
    streams: {
      info: () => {
        polls++;
        if (peersAfterPolls !== null && polls >= peersAfterPolls) peers = ["n2", "n3"];
        return Promise.resolve(infoWith(replicas, peers));
      },
      update: (_name, change) => {
        const to = change?.num_replicas ?? replicas;
        updates.push(to);
        // Lowered to what it holds and raised again: JetStream assigns the peers.
        if (to > replicas || (updates.length >= 2 && to === 3)) peers = ["n2", "n3"].slice(0, to - 1);
        replicas = to;
        return Promise.resolve(infoWith(replicas, peers));
      },
    },
  };
  return { admin, updates };
}

describe("unassignedCopies", () => {
  it("counts copies no server holds, not copies on a server that is down, and nothing on a single server", () => {
    expect(unassignedCopies(infoWith(3, []))).toBe(2);
    expect(unassignedCopies(infoWith(3, ["n2"]))).toBe(1);
    expect(unassignedCopies(infoWith(3, ["n2", "n3"]))).toBe(0);
    expect(unassignedCopies({ config: { num_replicas: 1 } } as StreamInfo)).toBe(0);
  });
});

describe("reassignMissingCopies", () => {
  it("leaves a stream holding every copy alone, without an update", async () => {
    const { admin, updates } = stuckStream(1);
    const info = await reassignMissingCopies(admin, infoWith(3, ["n2", "n3"]), logger, { graceMs: 50, pollMs: 5 });
    expect(unassignedCopies(info)).toBe(0);
    expect(updates).toEqual([]);
  });

  it("waits for the peers of a fresh scale-up within the grace period instead of touching it", async () => {
    const { admin, updates } = stuckStream(3);
    const info = await reassignMissingCopies(admin, infoWith(3, []), logger, { graceMs: 2_000, pollMs: 5 });
    expect(unassignedCopies(info)).toBe(0);
    expect(updates).toEqual([]);
  });

  it("lowers a stream stuck on its leader to the copy it has and raises it again, which assigns the peers", async () => {
    const { admin, updates } = stuckStream(null);
    const info = await reassignMissingCopies(admin, infoWith(3, []), logger, { graceMs: 30, pollMs: 5 });
    expect(updates).toEqual([1, 3]);
    expect(info.config.num_replicas).toBe(3);
    expect(unassignedCopies(info)).toBe(0);
  });
});
