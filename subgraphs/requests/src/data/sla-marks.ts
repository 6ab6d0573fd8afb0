import { and, asc, eq, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { requests } from "@asky/db/schema/requests";
import type { RequestsExecutor, RequestsTx } from "./db.js";
import type { RequestRow } from "./requests.js";

/** When the stage's warning falls due: `share` of the way from creation to the due time. */
const warnDue = (share: number): SQL =>
  sql`${requests.createdAt} + (${requests.slaDueAt} - ${requests.createdAt}) * ${share}::float8 <= now()`;
const breachDue: SQL = sql`${requests.slaDueAt} <= now()`;

/**
 * Requests on the clock with a warning or breach due and not yet marked, earliest due first.
 * Only open requests have a stage, and requests_sla_queue_idx holds only them.
 */
export async function dueForMarks(db: RequestsExecutor, share: number, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: requests.id })
    .from(requests)
    .where(
      and(
        isNotNull(requests.slaStage),
        or(and(isNull(requests.slaWarnedAt), warnDue(share)), and(isNull(requests.slaBreachedAt), breachDue)),
      ),
    )
    .orderBy(asc(requests.slaDueAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/**
 * Marks the request's warning (or breach) if it is due and not marked yet: the guard of
 * exactly once. Two clocks racing for one request both run this; the second waits for the
 * first's commit, re-reads the row, finds the mark set and updates nothing. A move to another
 * stage in between starts a new clock (the marks cleared, a new due time), which the re-read
 * sees too. Neither the version nor updated_at changes: the request itself did not.
 */
export async function markIfDue(
  tx: RequestsTx,
  id: string,
  which: "SLA_WARNING" | "SLA_BREACHED",
  share: number,
): Promise<RequestRow | null> {
  const warning = which === "SLA_WARNING";
  const [row] = await tx
    .update(requests)
    .set({
      ...(warning ? { slaWarnedAt: sql`now()` } : { slaBreachedAt: sql`now()` }),
      updatedAt: sql`${requests.updatedAt}`,
    })
    .where(
      and(
        eq(requests.id, id),
        isNotNull(requests.slaStage),
        warning ? isNull(requests.slaWarnedAt) : isNull(requests.slaBreachedAt),
        warning ? warnDue(share) : lte(requests.slaDueAt, sql`now()`),
      ),
    )
    .returning();
  return row ?? null;
}
