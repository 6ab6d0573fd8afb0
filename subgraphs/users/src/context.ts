import type { IncomingMessage } from "node:http";
import type { Logger, Viewer } from "@asky/common";
import { createUserLoader, type UsersDb } from "./data/users.js";

export interface UsersContext {
  readonly db: UsersDb;
  readonly logger: Logger;
  /** Null until identity forwarding from the gateway is verified. */
  readonly viewer: Viewer | null;
  readonly loaders: { readonly user: ReturnType<typeof createUserLoader> };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory(db: UsersDb, logger: Logger) {
  return async (_req: IncomingMessage): Promise<UsersContext> => ({
    db,
    logger,
    viewer: null,
    loaders: { user: createUserLoader(db) },
  });
}
