import { asc, eq, and, sql } from "drizzle-orm";
import { slaPolicies, slaPolicyChanges } from "@asky/db/schema/requests";
import type { NormalizedSlaPolicy } from "../validation/sla-policy-input.js";
import type { RequestsExecutor, RequestsTx } from "./db.js";

export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

/** Every policy, by kind then priority in the enums' order (ROUTINE first). */
export function listSlaPolicies(db: RequestsExecutor): Promise<SlaPolicyRow[]> {
  return db.select().from(slaPolicies).orderBy(asc(slaPolicies.kind), asc(slaPolicies.priority));
}

/**
 * Replaces one policy's windows and logs the change with its previous windows, in the
 * caller's transaction. The row is locked first, so concurrent changes of one policy log
 * each other's windows as "previous" in the order they commit. Null when no such policy
 * exists (the migration seeds all of them; none is ever deleted).
 */
export async function replaceSlaPolicy(
  tx: RequestsTx,
  policy: NormalizedSlaPolicy,
  actorId: string,
): Promise<SlaPolicyRow | null> {
  const which = and(eq(slaPolicies.kind, policy.kind), eq(slaPolicies.priority, policy.priority));
  const [previous] = await tx.select().from(slaPolicies).where(which).for("update");
  if (!previous) return null;
  const windows = {
    acceptWithinSeconds: policy.acceptWithinSeconds,
    dispatchWithinSeconds: policy.dispatchWithinSeconds,
    deliverWithinSeconds: policy.deliverWithinSeconds,
  };
  const [row] = await tx
    .update(slaPolicies)
    .set({ ...windows, updatedAt: sql`now()`, updatedBy: actorId })
    .where(which)
    .returning();
  await tx.insert(slaPolicyChanges).values({
    kind: policy.kind,
    priority: policy.priority,
    previousAcceptWithinSeconds: previous.acceptWithinSeconds,
    previousDispatchWithinSeconds: previous.dispatchWithinSeconds,
    previousDeliverWithinSeconds: previous.deliverWithinSeconds,
    ...windows,
    actorId,
  });
  return row ?? null;
}
