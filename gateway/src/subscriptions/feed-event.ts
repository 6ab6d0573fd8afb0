import type { FeedContract } from "./subscription-field.js";

/** One event read from the stream, parsed by its contract; the payload is resolved later. */
export interface FeedEvent {
  /** JetStream stream sequence: the resume cursor, totally ordered across replicas. */
  readonly seq: number;
  readonly eventId: string;
  /** The contract that parsed it: fields recognise their own events by it. */
  readonly contract: FeedContract<unknown>;
  /** What `contract.parse` returned as the envelope's data. */
  readonly data: unknown;
  /** When the change committed (epoch ms), to measure delivery latency. */
  readonly occurredAt: number;
}

/** What a payload query needs of an event: its id and its position (the cursor). */
export type PayloadSource = Pick<FeedEvent, "eventId" | "seq">;
