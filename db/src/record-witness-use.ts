import { sql, type SQL } from "drizzle-orm";
import { errors } from "@asky/runtime";
import type { WitnessedStep } from "@asky/contracts";
import type { WitnessUsesTable } from "./schema/witness-uses.js";

/** What drizzle databases and transactions both offer: one statement, and how many rows it wrote. */
export interface WitnessUseExecutor {
  execute(query: SQL): PromiseLike<{ rowCount: number | null }>;
}

/** A verified witness token (VerifiedWitness of @asky/auth) and the actor who presented it. */
export interface WitnessUse {
  readonly jti: string;
  readonly step: WitnessedStep;
  readonly witnessId: string;
  readonly actorId: string;
  readonly expiresAt: Date;
}

/** `extensions.reason` of a witness token presented a second time. */
export const WITNESS_TOKEN_USED = "WITNESS_TOKEN_USED";

const column = (name: string) => sql.identifier(name);

/**
 * Records the use of a witness token inside the transaction of the change it witnesses, after
 * verifyWitnessToken accepted it; throws CONFLICT "Witness token already used" when it was used
 * before (or is being used by a concurrent transaction, which this one then waits for: if that
 * one rolls back, this one records the use and goes on). Call it before the change's other
 * writes, so a replay is refused before anything else is done.
 */
export async function recordWitnessUse(
  tx: WitnessUseExecutor,
  table: WitnessUsesTable,
  use: WitnessUse,
): Promise<void> {
  const result = await tx.execute(sql`
    insert into ${table} (${column(table.jti.name)}, ${column(table.step.name)}, ${column(table.witnessId.name)},
                          ${column(table.actorId.name)}, ${column(table.expiresAt.name)})
    values (${use.jti}, ${use.step}, ${use.witnessId}, ${use.actorId}, ${use.expiresAt.toISOString()})
    on conflict (${column(table.jti.name)}) do nothing`);
  if (result.rowCount === 0) {
    throw errors.conflict("Witness token already used", { reason: WITNESS_TOKEN_USED, field: "witnessToken" });
  }
}
