import {
  closeAll,
  connectNats,
  createDatabase,
  ensureStream,
  startDurableConsumer,
  startOutboxRelay,
  type Logger,
  type NatsConnection,
} from "@asky/common";
import * as tables from "@asky/db/schema/dispensers";
import { ReadCache } from "../cache/read-cache.js";
import { startInvalidationBus, type InvalidationBus } from "../cache/invalidation-bus.js";
import type { DispensersConfig } from "../config.js";
import { applyDeliveredRestock, parseDeliveredRestock, REQUEST_STATUS_CHANGED_SUBJECT } from "./restock-delivered.js";

/**
 * The long-lived parts of the service around its database: NATS, the outbox relay (woken at
 * each commit by the NOTIFY its outbox insert carries), the read cache.
 */
export interface DispensersEvents {
  /** The service's NATS connection, e.g. for the revocation feed. */
  readonly nats: NatsConnection;
  readonly cache: ReadCache;
  readonly bus: InvalidationBus;
  close(): Promise<void>;
}

export async function startEvents(config: DispensersConfig, logger: Logger): Promise<DispensersEvents> {
  const nats = await connectNats(config.natsUrl, "asky-dispensers", logger);
  await ensureStream(nats).catch((error: unknown) => logger.warn({ err: error }, "JetStream not ready yet; the relay will retry"));
  const cache = new ReadCache();
  const bus = startInvalidationBus(nats, cache, logger);
  // The relay ensures the ASKY stream itself before its first publish, retrying while
  // JetStream is unavailable, so a broker hiccup at boot does not stop the service.
  const relay = startOutboxRelay({ service: "dispensers", databaseUrl: config.databaseUrl, outbox: tables.outbox, nats, logger });
  // Its own small pool: consuming must not wait behind client traffic, nor starve it.
  const consumerDb = createDatabase(config.databaseUrl, tables, { applicationName: "asky-dispensers-consumer", maxConnections: 2, logger });
  const restocks = startDurableConsumer({
    nats,
    db: consumerDb.db,
    processedEvents: tables.processedEvents,
    durable: "dispensers-restock-delivered",
    subject: REQUEST_STATUS_CHANGED_SUBJECT,
    logger,
    parse: parseDeliveredRestock,
    handle: async (event, tx) => {
      if (event.data) await applyDeliveredRestock(tx, event.data, logger);
    },
  });
  return {
    nats,
    cache,
    bus,
    close: () => closeAll(restocks, relay, bus, consumerDb, () => nats.drain()),
  };
}
