import { closeAll, connectNats, ensureStream, startDurableConsumer, startOutboxRelay, type Logger, type NatsConnection } from "@asky/common";
import { outbox, processedEvents } from "@asky/db/schema/requests";
import type { DispensersClient } from "../clients/dispensers-client.js";
import type { RequestsConfig } from "../config.js";
import type { RequestsDb } from "../data/db.js";
import { restockHandler } from "../services/restock-loop.js";
import { parseStockLow, STOCK_LOW_SUBJECT } from "./stock-low.js";

export interface RequestsEvents {
  /** The service's NATS connection, e.g. for the dispensers cache hints. */
  readonly nats: NatsConnection;
  /** Starts the restock loop once the database and the dispensers client exist. */
  startConsumers(db: RequestsDb, dispensers: DispensersClient): void;
  /** Stops taking events, before the database they write to closes. */
  stopConsumers(): Promise<void>;
  close(): Promise<void>;
}

/**
 * NATS, the outbox relay (asky.requests.* to JetStream, msgID = event id, in outbox order,
 * retrying in order while NATS is down) and the durable consumers of other services' events.
 */
export async function startEvents(config: RequestsConfig, logger: Logger): Promise<RequestsEvents> {
  const nats = await connectNats(config.natsUrl, "asky-requests", logger);
  // The relay and the consumer ensure the stream again before use; this only creates it early.
  await ensureStream(nats).catch((error: unknown) => logger.warn({ err: error }, "JetStream not ready yet; will retry"));
  const relay = startOutboxRelay({ service: "requests", databaseUrl: config.databaseUrl, outbox, nats, logger });
  let consumers: { close(): Promise<void> }[] = [];
  const stopConsumers = async () => {
    const stopping = consumers;
    consumers = [];
    await closeAll(...stopping);
  };
  return {
    nats,
    startConsumers(db, dispensers) {
      consumers.push(
        startDurableConsumer({
          nats,
          db,
          processedEvents,
          durable: "requests-stock-low",
          subject: STOCK_LOW_SUBJECT,
          logger,
          parse: parseStockLow,
          handle: restockHandler(dispensers, logger),
        }),
      );
    },
    stopConsumers,
    // Consumers first (no new work), then the relay, then NATS.
    close: () => closeAll(stopConsumers, relay, () => nats.drain()),
  };
}
