import type { InternalIdentity, SigningKey } from "@asky/auth";
import type { Logger } from "@asky/runtime";
import type { ServiceRuntime } from "@asky/service";
import type { Viewer } from "@asky/contracts";
import type * as tables from "@asky/db/schema/users";
import type { AuthPolicy, UsersConfig } from "./config.js";
import { clientAddress } from "./domain/login-throttle.js";
import { createUserLoader, type UsersDb } from "./data/users.js";

type UserLoader = ReturnType<typeof createUserLoader>;

/** None: everything the users service decides, it decides from its own database. */
export type UsersServices = Record<string, never>;

export type UsersRuntime = ServiceRuntime<typeof tables, UsersConfig, UsersServices>;

export interface UsersContext {
  readonly db: UsersDb;
  readonly logger: Logger;
  /** Who called: the gateway on behalf of a person, or a sibling service. */
  readonly identity: InternalIdentity;
  /** The signed-in person as the database knows them now; null when anonymous or deactivated. */
  readonly viewer: Viewer | null;
  /** Client address for throttling and the audit log ("unknown" when the caller gave none). */
  readonly clientIp: string;
  readonly loaders: { readonly user: UserLoader };
  readonly auth: {
    /** The active signing key (the first of the set) for the access tokens this service issues. */
    readonly signingKey: SigningKey;
    readonly policy: AuthPolicy;
  };
}

/**
 * An access token lives up to ACCESS_TOKEN_TTL_SECONDS (15 minutes by default), but this
 * service owns the truth about people: a deactivated account gets nothing here from the moment
 * it is deactivated, and a role or ward change applies at once instead of when the old token
 * expires.
 */
async function currentViewer(claimed: Viewer | null, users: UserLoader): Promise<Viewer | null> {
  if (!claimed) return null;
  const row = await users.load(claimed.id);
  if (!row || !row.active) return null;
  return { id: row.id, role: row.role, ward: row.ward };
}

/** A fresh context per operation: DataLoader caches must never outlive one request. */
export function createContextFactory({ config, database, logger, keys }: UsersRuntime) {
  const policy: AuthPolicy = config;
  return async (identity: InternalIdentity): Promise<UsersContext> => {
    // One operation uses a few of the pool's connections at most, however wide it fans out.
    const db = database.forOperation();
    const loaders = { user: createUserLoader(db) };
    return {
      db,
      logger,
      identity,
      viewer: await currentViewer(identity.viewer, loaders.user),
      clientIp: clientAddress(identity.clientIp),
      loaders,
      auth: { signingKey: keys[0], policy },
    };
  };
}
