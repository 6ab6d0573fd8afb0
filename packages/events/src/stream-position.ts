import type { JetStreamManager, StoredMsg } from "@nats-io/jetstream";

/** How many missing sequences one probe steps over before giving up on that half. */
const maxGapWalk = 32;

async function firstStoredFrom(
  jsm: JetStreamManager,
  stream: string,
  from: number,
  below: number,
): Promise<StoredMsg | null> {
  for (let seq = from; seq < below && seq < from + maxGapWalk; seq++) {
    const message = await jsm.streams.getMessage(stream, { seq });
    if (message) return message;
  }
  return null;
}

/**
 * The stream sequence from which every message stored at or after `time` is read: a binary
 * search over the messages' own timestamps. Ordered consumers must start at a sequence, never
 * at a time: @nats-io/jetstream recreates one after a reconnect with the start time *and* a
 * start sequence, which the server refuses, ending the consumer.
 *
 * Deleted or expired sequences (getMessage answers null) are stepped over; a long run of them
 * counts as "at or after", which can only move the answer earlier: a reader then sees a few
 * older messages, never misses a newer one.
 */
export async function sequenceAtTime(jsm: JetStreamManager, stream: string, time: Date): Promise<number> {
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) return state.last_seq + 1;
  let low = state.first_seq;
  let high = state.last_seq + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const probe = await firstStoredFrom(jsm, stream, middle, high);
    if (probe === null || probe.time.getTime() >= time.getTime()) high = middle;
    else low = probe.seq + 1;
  }
  return low;
}
