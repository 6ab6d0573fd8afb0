import type { NatsConnection } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream, type JetStreamManager } from "@nats-io/jetstream";
import { onReconnect, STREAM_NAME } from "@asky/events";
import { type Logger } from "@asky/runtime";
import type { FeedContracts } from "./feed-contracts.js";
import type { FeedEvent } from "./feed-event.js";

/** How far back a resuming subscriber may reach before it must reload instead. */
export interface ReplayBounds {
  readonly maxEvents: number;
  readonly maxAgeMs: number;
}

/**
 * `resync`: the events after the cursor cannot (or should not) be replayed, and the client
 * must reload what it shows. `stopped`: the caller asked to stop.
 */
export type ReplayOutcome = { kind: "replayed" } | { kind: "stopped" } | { kind: "resync"; why: string };

const replayed: ReplayOutcome = { kind: "replayed" };

export interface StreamAccess {
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly logger: Logger;
}

/**
 * Reads the events of `contracts` after `afterSeq` up to `until` (what the live feed has
 * already passed), in order, while `onEvent` answers true. Events beyond `until` reach the
 * subscriber through the live feed. Refuses (resync) before the first event when more than
 * `maxEvents` of these events or events older than `maxAgeMs` were missed, or when the stream
 * no longer holds them (expired, or the cursor is from a stream since recreated). The bounds
 * count the events of the resumed field's filter subject only: another field's traffic does
 * not use up a resume's allowance.
 */
export async function replayStream(
  stream: StreamAccess,
  contracts: FeedContracts,
  window: { afterSeq: number; until: number },
  bounds: ReplayBounds,
  onEvent: (event: FeedEvent) => Promise<boolean>,
): Promise<ReplayOutcome> {
  const { afterSeq, until } = window;
  const { state } = await stream.jsm.streams.info(STREAM_NAME);
  if (afterSeq > state.last_seq) return { kind: "resync", why: "the cursor is not from the current event stream" };
  if (state.first_seq > afterSeq + 1) return { kind: "resync", why: "the events after the cursor have expired" };
  if (afterSeq >= until) return replayed;
  const consumer = await jetstream(stream.nc).consumers.get(STREAM_NAME, {
    filter_subjects: contracts.filterSubject,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: afterSeq + 1,
  });
  const info = await consumer.info(true);
  if (info.num_pending === 0) return replayed;
  if (info.num_pending > bounds.maxEvents) {
    return { kind: "resync", why: `more than ${bounds.maxEvents} events were missed` };
  }
  const messages = await consumer.consume({ abort_on_missing_resource: true });
  // The library would resume a replay cut by a broker restart only after 15 to 45 s (see
  // onReconnect), holding the subscriber's live events back meanwhile: end it instead, and
  // the client resubscribes from its last cursor.
  let interrupted = false;
  const stopWatching = onReconnect(
    stream.nc,
    () => {
      interrupted = true;
      messages.stop();
    },
    stream.logger,
  );
  let reachedEnd = false;
  try {
    let first = true;
    for await (const message of messages) {
      if (first) {
        first = false;
        const ageMs = Date.now() - message.time.getTime();
        if (ageMs > bounds.maxAgeMs) {
          return { kind: "resync", why: `the missed events go back more than ${Math.round(bounds.maxAgeMs / 1000)} s` };
        }
      }
      if (message.seq > until) {
        reachedEnd = true;
        break;
      }
      const event = contracts.readOrSkip(message, stream.logger);
      if (event && !(await onEvent(event))) return { kind: "stopped" };
      if (message.seq >= until || message.info.pending === 0) {
        reachedEnd = true;
        break;
      }
    }
  } finally {
    stopWatching();
    messages.stop();
    consumer.delete().catch(() => undefined);
  }
  if (!reachedEnd) {
    throw new Error(
      interrupted ? "the replay was interrupted by a NATS reconnect" : "the replay ended before its last event",
    );
  }
  return replayed;
}
