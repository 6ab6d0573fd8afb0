import type { IncomingMessage } from "node:http";
import type { Logger, Viewer } from "@asky/common";
import type { RequestsDb } from "./data/db.js";
import { createHistoryLoader, createItemsLoader, createRequestLoader } from "./data/requests.js";

export interface RequestsContext {
  readonly db: RequestsDb;
  readonly logger: Logger;
  /** Null until identity forwarding from the gateway is verified. */
  readonly viewer: Viewer | null;
  readonly loaders: {
    readonly request: ReturnType<typeof createRequestLoader>;
    readonly items: ReturnType<typeof createItemsLoader>;
    readonly history: ReturnType<typeof createHistoryLoader>;
  };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory(db: RequestsDb, logger: Logger) {
  return async (_req: IncomingMessage): Promise<RequestsContext> => ({
    db,
    logger,
    viewer: null,
    loaders: { request: createRequestLoader(db), items: createItemsLoader(db), history: createHistoryLoader(db) },
  });
}
