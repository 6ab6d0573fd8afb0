import type { TraceHeaders } from "@asky/telemetry";
import type { FeedContract } from "./subscription-field.js";

/** One event read from the stream, parsed by its contract; the payload is resolved later. */
export interface FeedEvent {
  /** JetStream stream sequence: the resume cursor, totally ordered across replicas. */
  readonly seq: number;
  readonly eventId: string;
  /** The NATS subject it was published on, e.g. `asky.requests.status_changed`. */
  readonly subject: string;
  /** The contract that parsed it: fields recognise their own events by it. */
  readonly contract: FeedContract<unknown>;
  /** What `contract.parse` returned as the envelope's data. */
  readonly data: unknown;
  /** When the change committed (epoch ms), to measure delivery latency. */
  readonly occurredAt: number;
  /**
   * The W3C trace context of the change that produced it, from the message's headers
   * (undefined when it carried none: published untraced), so that resolving and fanning out
   * its payloads joins that change's trace.
   */
  readonly traceHeaders: TraceHeaders | undefined;
}

/** What a payload query needs of an event: its id and its position (the cursor). */
export type PayloadSource = Pick<FeedEvent, "eventId" | "seq">;
