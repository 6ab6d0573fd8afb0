import { sql } from "drizzle-orm";
import type { EventEnvelope, StockMovedData } from "@asky/contracts";
import type { SqlExecutor } from "./project-request.js";

/**
 * Keeps one ledger row of a cabinet's stock. A ledger row never changes once written, so the
 * first copy is the row: a redelivered event, or the same one replayed by a rebuild beside
 * the live consumer, inserts nothing.
 */
export async function insertStockMovementFact(tx: SqlExecutor, event: EventEnvelope<StockMovedData>): Promise<void> {
  const { data } = event;
  await tx.execute(sql`
    INSERT INTO reports.stock_movement_facts
      (movement_id, seq, stock_level_id, dispenser_id, ward, item_id, item_kind, reason, delta,
       quantity_before, quantity_after, lot_number, lot_expires_at, unit_cost, at)
    VALUES (${data.movementId}, ${data.seq}, ${data.stockLevelId}, ${data.dispenserId}, ${data.ward},
      ${data.itemId}, ${data.itemKind}, ${data.reason}, ${data.delta}, ${data.quantityBefore},
      ${data.quantityAfter}, ${data.lotNumber}, ${data.lotExpiresAt}::date, ${data.unitCost},
      ${data.movedAt}::timestamptz)
    ON CONFLICT (movement_id) DO NOTHING`);
}
