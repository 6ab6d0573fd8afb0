import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import type { NatsConnection } from "@nats-io/transport-node";
import {
  startDurableConsumer,
  type DurableConsumer,
  type TransactionOf,
  type ProcessedEventsTable,
} from "@asky/events";
import type { EventEnvelope } from "@asky/contracts";
import type { Logger } from "@asky/runtime";

type Schema = Record<string, unknown>;

/** An event contract as a consumer needs it: its subject and the check of its `data`. */
export interface ConsumableEvent<TData> {
  readonly subject: string;
  parseData(data: unknown): TData;
}

/** What is consumed: an event contract, or a subject with its own reading of `data`. */
export type ConsumedEvent<TData> =
  | { readonly event: ConsumableEvent<TData>; readonly subject?: never; readonly parse?: never }
  | {
      readonly event?: never;
      /** One subject (nats-server 2.9 has no filter_subjects), e.g. `asky.dispensers.stock_low`. */
      readonly subject: string;
      /** Checks `data`; a payload it rejects can never succeed, so it is terminated, not retried. */
      readonly parse: (data: unknown) => TData;
    };

/** One durable consumer of a subgraph, as its entry point declares it. */
export type ConsumerDefinition<TSchema extends Schema, TRuntime, TData> = ConsumedEvent<TData> & {
  /** Durable consumer name, e.g. `requests-stock-low`; also the `consumer` column of processed_events. */
  readonly durable: string;
  /** The effect, inside the transaction that also records the event as processed. */
  readonly handle: (event: EventEnvelope<TData>, tx: TransactionOf<TSchema>, runtime: TRuntime) => Promise<void>;
  /**
   * `own`: a small pool of its own, so that consuming neither waits behind client traffic nor
   * starves it. Otherwise the consumer writes with the service pool.
   */
  readonly pool?: "own";
};

export interface ConsumerStart<TSchema extends Schema, TRuntime> {
  readonly nats: NatsConnection;
  /** Copies of the stream (NATS_STREAM_REPLICAS), should the consumer have to create or scale it. */
  readonly streamReplicas: number;
  readonly db: NodePgDatabase<TSchema>;
  readonly processedEvents: ProcessedEventsTable;
  readonly logger: Logger;
  readonly runtime: TRuntime;
}

/** A declared consumer with its event's type sealed in, so that consumers of any events share one list. */
export interface EventConsumer<TSchema extends Schema, TRuntime> {
  readonly durable: string;
  readonly subject: string;
  readonly pool: "service" | "own";
  start(options: ConsumerStart<TSchema, TRuntime>): DurableConsumer;
}

function readingOf<TData>(consumed: ConsumedEvent<TData>): { subject: string; parse: (data: unknown) => TData } {
  if (consumed.event) {
    const event = consumed.event;
    return { subject: event.subject, parse: (data) => event.parseData(data) };
  }
  return { subject: consumed.subject, parse: consumed.parse };
}

/** Declares a durable consumer; the subgraph's start order starts and stops it. */
export function eventConsumer<TSchema extends Schema, TRuntime, TData>(
  definition: ConsumerDefinition<TSchema, TRuntime, TData>,
): EventConsumer<TSchema, TRuntime> {
  const { subject, parse } = readingOf(definition);
  return {
    durable: definition.durable,
    subject,
    pool: definition.pool ?? "service",
    start: ({ runtime, ...options }) =>
      startDurableConsumer({
        ...options,
        durable: definition.durable,
        subject,
        parse,
        handle: (event, tx) => definition.handle(event, tx, runtime),
      }),
  };
}
