import type { IncomingMessage } from "node:http";
import type { Logger, Viewer } from "@asky/common";
import { createCatalogItemLoader } from "./data/catalog.js";
import type { DispensersDb } from "./data/db.js";
import { createDispenserLoader } from "./data/dispensers.js";

export interface DispensersContext {
  readonly db: DispensersDb;
  readonly logger: Logger;
  /** Null until identity forwarding from the gateway is verified. */
  readonly viewer: Viewer | null;
  readonly loaders: {
    readonly dispenser: ReturnType<typeof createDispenserLoader>;
    readonly catalogItem: ReturnType<typeof createCatalogItemLoader>;
  };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory(db: DispensersDb, logger: Logger) {
  return async (_req: IncomingMessage): Promise<DispensersContext> => ({
    db,
    logger,
    viewer: null,
    loaders: { dispenser: createDispenserLoader(db), catalogItem: createCatalogItemLoader(db) },
  });
}
