import type { InternalIdentity, Logger, SubgraphRuntime, Viewer } from "@asky/common";
import type * as tables from "@asky/db/schema/dispensers";
import { createCatalogItemLoader } from "./data/catalog.js";
import type { DispensersDb } from "./data/db.js";
import { createDispenserLoader } from "./data/dispensers.js";

export interface DispensersContext {
  readonly db: DispensersDb;
  readonly logger: Logger;
  /** Who called: the gateway on behalf of a person, or a sibling service. */
  readonly identity: InternalIdentity;
  /** The signed-in person, from the verified internal token; null when anonymous. */
  readonly viewer: Viewer | null;
  readonly loaders: {
    readonly dispenser: ReturnType<typeof createDispenserLoader>;
    readonly catalogItem: ReturnType<typeof createCatalogItemLoader>;
  };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory({ database, logger }: SubgraphRuntime<typeof tables>) {
  const db = database.db;
  return async (identity: InternalIdentity): Promise<DispensersContext> => ({
    db,
    logger,
    identity,
    viewer: identity.viewer,
    loaders: { dispenser: createDispenserLoader(db), catalogItem: createCatalogItemLoader(db) },
  });
}
