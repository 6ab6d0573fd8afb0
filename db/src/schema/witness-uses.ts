import { sql } from "drizzle-orm";
import { check, index, text, uuid, type PgSchema } from "drizzle-orm/pg-core";
import { witnessedSteps } from "@asky/contracts";
import { sqlValueList, timestamptz } from "./columns.js";

/**
 * The witness tokens a service has consumed, for any service whose changes need a witness
 * (issue 16: requests for dispatch and receipt, dispensers for losses). A witness token is
 * stateless and verified by signature alone (verifyWitnessToken in @asky/auth); what makes it
 * single use is this table: the consuming service inserts the token's jti in the same
 * transaction as the witnessed change (recordWitnessUse), and a second use hits the primary
 * key. Rows are kept: with the change's own history they are the chain of custody.
 *
 * Not part of any service schema yet: a service adds `export const witnessUses =
 * witnessUsesTable(itsSchema);` and generates the migration.
 */
export function witnessUsesTable<TSchema extends string>(schema: PgSchema<TSchema>) {
  return schema.table(
    "witness_uses",
    {
      /** The token's `jti`: a second use of the token is a duplicate key. */
      jti: uuid("jti").primaryKey(),
      step: text("step").notNull(),
      witnessId: uuid("witness_id").notNull(),
      /** The person whose change the witness confirmed. */
      actorId: uuid("actor_id").notNull(),
      usedAt: timestamptz("used_at").notNull().defaultNow(),
      /** When the token would have expired: past it, the verifier refuses the token by itself. */
      expiresAt: timestamptz("expires_at").notNull(),
    },
    (t) => [
      check("witness_uses_step_check", sql`${t.step} IN (${sqlValueList(witnessedSteps)})`),
      check("witness_uses_witness_not_actor_check", sql`${t.witnessId} <> ${t.actorId}`),
      index("witness_uses_witness_id_used_at_idx").on(t.witnessId, t.usedAt),
    ],
  );
}

export type WitnessUsesTable = ReturnType<typeof witnessUsesTable<string>>;
