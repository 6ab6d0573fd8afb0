import type { InternalIdentity } from "@asky/auth";
import type { Logger } from "@asky/runtime";
import type { ServiceRuntime } from "@asky/service";
import type { Viewer } from "@asky/contracts";
import type * as tables from "@asky/db/schema/reports";
import type { ReportsConfig } from "./config.js";
import type { ReportsDb } from "./data/db.js";
import type { WebhookAllowance } from "./webhooks/allowance.js";

/** The reports service shares nothing process-wide beyond what every subgraph has. */
export type ReportsServices = Record<string, never>;

export type ReportsRuntime = ServiceRuntime<typeof tables, ReportsConfig, ReportsServices>;

export function startReportsServices(): ReportsServices {
  return {};
}

export interface ReportsContext {
  readonly db: ReportsDb;
  readonly logger: Logger;
  /** Who called: the gateway on behalf of a person. */
  readonly identity: InternalIdentity;
  /** The signed-in person, from the verified internal token; null when anonymous. */
  readonly viewer: Viewer | null;
  /** Internal targets webhooks may reach (WEBHOOK_ALLOWED_HOSTS). */
  readonly webhookAllowance: WebhookAllowance;
}

/** A fresh context per operation. */
export function createContextFactory({ database, logger, config }: ReportsRuntime) {
  return async (identity: InternalIdentity): Promise<ReportsContext> => {
    // A report is one statement: one of the pool's connections is enough.
    const db = database.forOperation();
    return { db, logger, identity, viewer: identity.viewer, webhookAllowance: config.webhookAllowedHosts };
  };
}
