import {
  createWitnessTokenVerifier,
  usersJwksUrl,
  type InternalIdentity,
  type VerifiedWitness,
  type WitnessExpectation,
} from "@asky/auth";
import type { Logger } from "@asky/runtime";
import type { OnStop, ServiceRuntime, SubgraphRuntime } from "@asky/service";
import type { Viewer } from "@asky/contracts";
import type * as tables from "@asky/db/schema/requests";
import { CachedDispensersClient } from "./clients/cached-dispensers-client.js";
import { createDispensersClient, type DispensersClient } from "./clients/dispensers-client.js";
import type { RequestsConfig } from "./config.js";
import type { RequestsDb } from "./data/db.js";
import {
  createBackordersLoader,
  createHistoryLoader,
  createItemsLoader,
  createOpenByDispenserLoader,
  createRequestLoader,
} from "./data/requests.js";
import { createLotsLoader } from "./data/request-lines.js";
import { createRequesterPagesLoader } from "./data/requester-pages.js";

/** Process-wide collaborators, built once at start. */
export interface RequestsServices {
  readonly dispensers: DispensersClient;
  /** Witness tokens of controlled dispatches and receipts, against the users service's published keys. */
  readonly verifyWitness: (token: string, expected: WitnessExpectation) => Promise<VerifiedWitness>;
}

export type RequestsRuntime = ServiceRuntime<typeof tables, RequestsConfig, RequestsServices>;

/**
 * The dispensers client, signing as this service, whose cache drops what the dispensers
 * service hints has changed; it stops watching the hints when the service stops. And the
 * witness verifier, against the keys the users service publishes at USERS_URL.
 */
export function startRequestsServices(
  runtime: SubgraphRuntime<typeof tables, RequestsConfig>,
  onStop: OnStop,
): RequestsServices {
  const { config, keys, nats, logger } = runtime;
  const client = createDispensersClient(config.dispensersUrl, keys[0]);
  const dispensers = new CachedDispensersClient(client).watch(nats, logger);
  onStop("dispensers client", async () => dispensers.close());
  // Built once, so that the users service's key set is fetched and cached once per process.
  const verifyWitness = createWitnessTokenVerifier(usersJwksUrl(config.usersUrl));
  return { dispensers, verifyWitness };
}

export interface RequestsContext {
  readonly db: RequestsDb;
  readonly logger: Logger;
  /** Who called: the gateway on behalf of a person, or a sibling service. */
  readonly identity: InternalIdentity;
  /** The signed-in person, from the verified internal token; null when anonymous. */
  readonly viewer: Viewer | null;
  readonly services: RequestsServices;
  readonly loaders: {
    readonly request: ReturnType<typeof createRequestLoader>;
    readonly items: ReturnType<typeof createItemsLoader>;
    readonly lots: ReturnType<typeof createLotsLoader>;
    readonly history: ReturnType<typeof createHistoryLoader>;
    readonly backorders: ReturnType<typeof createBackordersLoader>;
    readonly openByDispenser: ReturnType<typeof createOpenByDispenserLoader>;
    readonly requesterPages: ReturnType<typeof createRequesterPagesLoader>;
  };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory({ database, logger, services }: RequestsRuntime) {
  return async (identity: InternalIdentity): Promise<RequestsContext> => {
    // One operation uses a few of the pool's connections at most, however wide it fans out.
    const db = database.forOperation();
    return {
      db,
      logger,
      identity,
      viewer: identity.viewer,
      services,
      loaders: {
        request: createRequestLoader(db),
        items: createItemsLoader(db),
        lots: createLotsLoader(db),
        history: createHistoryLoader(db),
        backorders: createBackordersLoader(db),
        openByDispenser: createOpenByDispenserLoader(db),
        requesterPages: createRequesterPagesLoader(db),
      },
    };
  };
}
