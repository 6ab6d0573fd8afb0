import { createWitnessTokenVerifier, usersJwksUrl, type InternalIdentity } from "@asky/auth";
import type { Logger } from "@asky/runtime";
import type { OnStop, ServiceRuntime, SubgraphRuntime } from "@asky/service";
import type { Viewer } from "@asky/contracts";
import type * as tables from "@asky/db/schema/dispensers";
import { cachedLoaderById } from "./cache/cached-loader.js";
import { startInvalidationBus, type InvalidationBus } from "./cache/invalidation-bus.js";
import { ReadCache } from "./cache/read-cache.js";
import type { DispensersConfig } from "./config.js";
import { fetchCatalogItemsById } from "./data/catalog.js";
import type { DispensersDb } from "./data/db.js";
import { fetchDispensersById } from "./data/dispensers.js";
import { createStockByDispenserLoader } from "./data/stock-levels.js";
import { createLotsByLevelLoader } from "./data/stock-lots.js";
import type { WitnessVerifier } from "./services/stock-witness.js";

/** Process-wide: the read cache and its cross-replica invalidation, and the witness check. */
export interface DispensersServices {
  readonly cache: ReadCache;
  readonly bus: InvalidationBus;
  /** Witness tokens of controlled losses, against the users service's published keys. */
  readonly verifyWitness: WitnessVerifier;
}

export type DispensersRuntime = ServiceRuntime<typeof tables, DispensersConfig, DispensersServices>;

/**
 * The read cache, kept in step with the other replicas over NATS until the service stops; and
 * the witness verifier, built once so that the users service's key set is fetched and cached
 * once per process (from USERS_URL, which the session checks already use), not per request.
 */
export function startDispensersServices(
  runtime: SubgraphRuntime<typeof tables, DispensersConfig>,
  onStop: OnStop,
): DispensersServices {
  const cache = new ReadCache();
  const bus = startInvalidationBus(runtime.nats, cache, runtime.logger);
  onStop("cache invalidation bus", bus);
  const verifyWitness = createWitnessTokenVerifier(usersJwksUrl(runtime.config.usersUrl));
  return { cache, bus, verifyWitness };
}

function createLoaders(db: DispensersDb, { cache }: DispensersServices) {
  return {
    dispenser: cachedLoaderById(cache, cache.dispensers, fetchDispensersById(db)),
    catalogItem: cachedLoaderById(cache, cache.catalogItems, fetchCatalogItemsById(db)),
    stockByDispenser: createStockByDispenserLoader(db),
    lotsByLevel: createLotsByLevelLoader(db),
  };
}

export type DispensersLoaders = ReturnType<typeof createLoaders>;

export interface DispensersContext {
  readonly db: DispensersDb;
  readonly logger: Logger;
  /** Who called: the gateway on behalf of a person, or a sibling service. */
  readonly identity: InternalIdentity;
  /** The signed-in person, from the verified internal token; null when anonymous. */
  readonly viewer: Viewer | null;
  readonly loaders: DispensersLoaders;
  /** Process-wide: read cache and its cross-replica invalidation. */
  readonly services: DispensersServices;
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory({ database, logger, services }: DispensersRuntime) {
  return async (identity: InternalIdentity): Promise<DispensersContext> => {
    // One operation uses a few of the pool's connections at most, however wide it fans out.
    const db = database.forOperation();
    return { db, logger, identity, viewer: identity.viewer, loaders: createLoaders(db, services), services };
  };
}
