import { appendEvent } from "@asky/events";
import { stockMoved, type CatalogItemKind, type EventEnvelope, type StockMovedData } from "@asky/contracts";
import { outbox } from "@asky/db/schema/dispensers";
import type { DispensersTx } from "../data/db.js";

/** One ledger row as written (its id and sequence from the insert's RETURNING). */
export interface LedgerRow {
  readonly id: string;
  readonly seq: number;
  readonly stockLevelId: string;
  readonly at: Date;
  readonly reason: StockMovedData["reason"];
  readonly delta: number;
  readonly quantityBefore: number;
  readonly quantityAfter: number;
  readonly lotNumber: string | null;
}

/**
 * What the ledger row does not say of itself and a read model of stock needs: where the
 * cabinet is, what the item is and costs, and when each lot the movement touched expires.
 * Writers already hold all of it in the transaction (no extra read per row).
 */
export interface MovementSubject {
  readonly dispenserId: string;
  readonly ward: string;
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  /** BRL per unit, the catalog's decimal string or number. */
  readonly unitCost: string | number;
  /** Expiry (`YYYY-MM-DD`) by lot number, of the lots as they were before and after the movement. */
  readonly lotExpiries: ReadonlyMap<string, string>;
}

export function stockMovedEvent(row: LedgerRow, subject: MovementSubject): EventEnvelope<StockMovedData> {
  return stockMoved.build(
    {
      movementId: row.id,
      seq: row.seq,
      stockLevelId: row.stockLevelId,
      dispenserId: subject.dispenserId,
      ward: subject.ward,
      itemId: subject.itemId,
      itemKind: subject.itemKind,
      reason: row.reason,
      delta: row.delta,
      quantityBefore: row.quantityBefore,
      quantityAfter: row.quantityAfter,
      lotNumber: row.lotNumber,
      lotExpiresAt: row.lotNumber === null ? null : (subject.lotExpiries.get(row.lotNumber) ?? null),
      unitCost: Number(subject.unitCost),
      movedAt: row.at.toISOString(),
    },
    { occurredAt: row.at },
  );
}

/**
 * asky.dispensers.stock_moved, one per ledger row, in the transaction that wrote the rows: the
 * reports read model sees every movement exactly when it commits, and none that rolled back.
 */
export async function raiseStockMoved(
  tx: DispensersTx,
  rows: readonly LedgerRow[],
  subject: MovementSubject,
): Promise<void> {
  for (const row of rows) await appendEvent(tx, outbox, stockMovedEvent(row, subject));
}
