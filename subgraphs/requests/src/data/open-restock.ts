import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { CatalogItemKind } from "@asky/contracts";
import { requestItems, requests } from "@asky/db/schema/requests";
import { openStatuses } from "../domain/lifecycle.js";
import type { RequestsTx } from "./db.js";
import type { RequestRow } from "./requests.js";

/**
 * Serializes everything that opens or grows a cabinet's RESTOCK request (the restock loop on
 * any replica, a pharmacist by hand) for the rest of the transaction, so "is one open?" and
 * "open one" cannot interleave. Keyed per cabinet: other cabinets are not held up.
 */
export async function lockRestocksOf(tx: RequestsTx, dispenserId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`asky:restock:${dispenserId}`}))`);
}

/**
 * The cabinet's RESTOCK request still in progress, if any: a PENDING one first (the list that
 * can still grow: the backorder of a restock in transit), else the oldest.
 */
export async function findOpenRestock(tx: RequestsTx, dispenserId: string): Promise<RequestRow | null> {
  const [row] = await tx
    .select()
    .from(requests)
    .where(
      and(
        eq(requests.dispenserId, dispenserId),
        eq(requests.kind, "RESTOCK"),
        inArray(requests.status, [...openStatuses]),
      ),
    )
    .orderBy(sql`${requests.status} <> 'PENDING'`, asc(requests.createdAt))
    .limit(1)
    .for("update");
  return row ?? null;
}

export interface RestockLine {
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  readonly quantity: number;
  readonly unitCost: string;
  /** False for a material (never controlled); null for a medication, whose list the event does not carry. */
  readonly controlled: boolean | null;
  /** The medication's class the event carries; null for a material and where it is unknown. */
  readonly therapeuticClass: string | null;
}

/**
 * Adds an item to a PENDING restock, or raises its quantity to the new suggestion when it is
 * already there (never lowers it: the larger suggestion is the one that refills the cabinet;
 * nor changes its frozen class, only fills in one that was unknown).
 * The total is recomputed from the frozen unit costs and the version bumped, so a pharmacist
 * holding the old version must look again before accepting.
 */
export async function growRestock(tx: RequestsTx, requestId: string, line: RestockLine): Promise<RequestRow | null> {
  await tx
    .insert(requestItems)
    .values({ requestId, ...line })
    .onConflictDoUpdate({
      target: [requestItems.requestId, requestItems.itemId],
      set: {
        quantity: sql`greatest(${requestItems.quantity}, excluded.quantity)`,
        // A line's class stays as frozen when it was made; one made of unknown class (from a
        // stock_low that did not carry it) takes the class the newer event brings.
        therapeuticClass: sql`coalesce(${requestItems.therapeuticClass}, excluded.therapeutic_class)`,
      },
    });
  const [row] = await tx
    .update(requests)
    .set({
      version: sql`${requests.version} + 1`,
      updatedAt: sql`now()`,
      totalCost: sql`(select coalesce(sum(${requestItems.quantity} * ${requestItems.unitCost}), 0)
        from ${requestItems} where ${requestItems.requestId} = ${requestId})`,
    })
    .where(and(eq(requests.id, requestId), eq(requests.status, "PENDING")))
    .returning();
  return row ?? null;
}
