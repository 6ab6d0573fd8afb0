import { sql } from "drizzle-orm";
import type { Logger } from "@asky/runtime";
import type { ReportsDb } from "../data/db.js";
import { lockUnsealedSecrets, storeSealedSecret } from "../data/webhooks.js";
import { isSealed, sealSecret } from "./secret-box.js";
import type { SecretKeyring } from "./secret-keys.js";

/**
 * Encrypts, in place, the secrets stored in plain text before they were sealed at rest: SQL
 * has no key, so the migration cannot, and the service does it once at start. Replicas
 * starting together take turns (a transaction-scoped advisory lock) and the rows are locked,
 * so a secret is sealed once; a row already sealed is left alone, so the pass is idempotent.
 * Returns how many rows it sealed.
 */
export async function sealPlaintextSecrets(db: ReportsDb, keys: SecretKeyring, logger: Logger): Promise<number> {
  const sealed = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('reports.webhooks.secrets'))`);
    const rows = await lockUnsealedSecrets(tx, "v1:");
    for (const row of rows) {
      // `v1:` rows are never selected; this only guards a future format sharing the prefix.
      if (isSealed(row.secret)) continue;
      await storeSealedSecret(tx, row.id, sealSecret(keys, row.id, row.secret));
    }
    return rows.length;
  });
  if (sealed > 0) logger.info({ webhooks: sealed, keyId: keys[0].id }, "webhook secrets stored in plain text sealed");
  return sealed;
}
