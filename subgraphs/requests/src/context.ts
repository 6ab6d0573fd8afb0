import type { InternalIdentity, Logger, SubgraphRuntime, Viewer } from "@asky/common";
import type * as tables from "@asky/db/schema/requests";
import type { RequestsDb } from "./data/db.js";
import { createHistoryLoader, createItemsLoader, createRequestLoader } from "./data/requests.js";

export interface RequestsContext {
  readonly db: RequestsDb;
  readonly logger: Logger;
  /** Who called: the gateway on behalf of a person, or a sibling service. */
  readonly identity: InternalIdentity;
  /** The signed-in person, from the verified internal token; null when anonymous. */
  readonly viewer: Viewer | null;
  readonly loaders: {
    readonly request: ReturnType<typeof createRequestLoader>;
    readonly items: ReturnType<typeof createItemsLoader>;
    readonly history: ReturnType<typeof createHistoryLoader>;
  };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory({ database, logger }: SubgraphRuntime<typeof tables>) {
  const db = database.db;
  return async (identity: InternalIdentity): Promise<RequestsContext> => ({
    db,
    logger,
    identity,
    viewer: identity.viewer,
    loaders: { request: createRequestLoader(db), items: createItemsLoader(db), history: createHistoryLoader(db) },
  });
}
