import type { InternalIdentity } from "@asky/auth";
import type { Logger } from "@asky/runtime";
import type { ServiceRuntime, SubgraphRuntime } from "@asky/service";
import type { Viewer } from "@asky/contracts";
import type * as tables from "@asky/db/schema/reports";
import type { ReportsConfig } from "./config.js";
import type { ReportsDb } from "./data/db.js";
import type { WebhookAllowance } from "./webhooks/allowance.js";
import { loadSecretKeyring, type SecretKeyring } from "./webhooks/secret-keys.js";

/** Process-wide: the keys webhook secrets are encrypted with at rest. */
export interface ReportsServices {
  readonly webhookSecretKeys: SecretKeyring;
}

export type ReportsRuntime = ServiceRuntime<typeof tables, ReportsConfig, ReportsServices>;

/** Loaded before the service listens: without its keys (production) it refuses to start. */
export function startReportsServices({ config }: SubgraphRuntime<typeof tables, ReportsConfig>): ReportsServices {
  const webhookSecretKeys = loadSecretKeyring({
    configured: config.webhookSecretKeys,
    production: config.nodeEnv === "production",
    keysDir: config.keysDir,
  });
  return { webhookSecretKeys };
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
  /** Encrypts the webhook secrets an administrator sets. */
  readonly webhookSecretKeys: SecretKeyring;
}

/** A fresh context per operation. */
export function createContextFactory({ database, logger, config, services }: ReportsRuntime) {
  return async (identity: InternalIdentity): Promise<ReportsContext> => {
    // A report is one statement: one of the pool's connections is enough.
    const db = database.forOperation();
    return {
      db,
      logger,
      identity,
      viewer: identity.viewer,
      webhookAllowance: config.webhookAllowedHosts,
      webhookSecretKeys: services.webhookSecretKeys,
    };
  };
}
