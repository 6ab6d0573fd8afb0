import DataLoader from "dataloader";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { requestHistory, requestItemLots, requestItems, requests } from "@asky/db/schema/requests";
import type { LinePlan } from "../services/pick-plan.js";
import type { PickedLot } from "../validation/pick-lots.js";
import type { RequestsDb, RequestsExecutor, RequestsTx } from "./db.js";
import type { RequestHistoryRow, RequestRow } from "./requests.js";

export type RequestItemLotRow = typeof requestItemLots.$inferSelect;

/** Oldest expiry first (the order they should be used in), undated last. */
const lotOrder = [sql`${requestItemLots.expiresAt} asc nulls last`, asc(requestItemLots.lotNumber)];

/** The lots of many lines, in one statement. */
export function lotsOf(db: RequestsExecutor, lineIds: readonly string[]): Promise<RequestItemLotRow[]> {
  if (lineIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(requestItemLots)
    .where(inArray(requestItemLots.requestItemId, [...lineIds]))
    .orderBy(...lotOrder);
}

/** RequestItem.lots: every line of an operation's level shares one statement. */
export const createLotsLoader = (db: RequestsDb) =>
  new DataLoader<string, RequestItemLotRow[]>(async (lineIds) => {
    const byLine = new Map<string, RequestItemLotRow[]>();
    for (const lot of await lotsOf(db, lineIds)) {
      byLine.set(lot.requestItemId, [...(byLine.get(lot.requestItemId) ?? []), lot]);
    }
    return lineIds.map((id) => byLine.get(id) ?? []);
  });

/**
 * The compare-and-set of a pick: the request moves to the next version only if it is still
 * PREPARING at the version the pick was planned on; null otherwise.
 */
export async function bumpPreparing(tx: RequestsTx, id: string, expectedVersion: number): Promise<RequestRow | null> {
  const [row] = await tx
    .update(requests)
    .set({ version: sql`${requests.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(requests.id, id), eq(requests.version, expectedVersion), eq(requests.status, "PREPARING")))
    .returning();
  return row ?? null;
}

/** The substitute line of a plan: a new row, or the line's earlier substitute of the same item updated. */
async function writeSubstitute(tx: RequestsTx, requestId: string, plan: LinePlan): Promise<string | null> {
  const substitute = plan.substitute;
  if (!substitute) return null;
  const values = {
    quantity: substitute.quantity,
    status: "PICKED" as const,
    quantityDispatched: substitute.quantity,
    reasonCode: null,
    note: null,
  };
  if (substitute.reuseId) {
    await tx.update(requestItems).set(values).where(eq(requestItems.id, substitute.reuseId));
    return substitute.reuseId;
  }
  const [row] = await tx
    .insert(requestItems)
    .values({
      requestId,
      itemId: substitute.itemId,
      itemKind: substitute.itemKind,
      unitCost: substitute.unitCost,
      controlled: substitute.controlList !== null,
      controlList: substitute.controlList,
      therapeuticClass: substitute.therapeuticClass,
      ...values,
    })
    .returning({ id: requestItems.id });
  if (!row) throw new Error("substitute line insert returned nothing");
  return row.id;
}

/**
 * Writes a planned pick: each line's outcome, its substitute line, and the lots of both,
 * replacing whatever an earlier pick wrote for those lines. The original line is updated
 * before its old substitute goes, so that the substitution check never sees a SUBSTITUTED
 * line without its substitute.
 */
export async function writePick(tx: RequestsTx, requestId: string, plans: readonly LinePlan[]): Promise<void> {
  const lots = new Map<string, readonly PickedLot[]>();
  const orphans: string[] = [];
  for (const plan of plans) {
    const substituteId = await writeSubstitute(tx, requestId, plan);
    await tx
      .update(requestItems)
      .set({
        status: plan.status,
        quantityDispatched: plan.quantityDispatched,
        reasonCode: plan.reasonCode,
        note: plan.note,
        substitutedById: substituteId,
      })
      .where(eq(requestItems.id, plan.line.id));
    lots.set(plan.line.id, plan.lots);
    if (substituteId && plan.substitute) lots.set(substituteId, plan.substitute.lots);
    if (plan.previousSubstituteId && plan.previousSubstituteId !== substituteId)
      orphans.push(plan.previousSubstituteId);
  }
  if (orphans.length > 0) await tx.delete(requestItems).where(inArray(requestItems.id, orphans));
  await tx.delete(requestItemLots).where(inArray(requestItemLots.requestItemId, [...lots.keys()]));
  const rows = [...lots].flatMap(([requestItemId, list]) => list.map((lot) => ({ requestItemId, ...lot })));
  if (rows.length > 0) await tx.insert(requestItemLots).values(rows);
}

/** The PICK_RECORDED entry: the status stays PREPARING. */
export async function insertPickHistory(
  tx: RequestsTx,
  requestId: string,
  actorId: string,
): Promise<RequestHistoryRow> {
  const [row] = await tx
    .insert(requestHistory)
    .values({ requestId, fromStatus: "PREPARING", toStatus: "PREPARING", actorId, event: "PICK_RECORDED" })
    .returning();
  if (!row) throw new Error("history insert returned nothing");
  return row;
}
