import { appendEvent } from "@asky/events";
import { stockLow, type EventEnvelope, type StockLowData } from "@asky/contracts";
import { outbox } from "@asky/db/schema/dispensers";
import type { CatalogItemRow } from "../data/catalog.js";
import type { DispensersTx } from "../data/db.js";
import type { DispenserRow } from "../data/dispensers.js";
import type { StockLevelRow } from "../data/stock-levels.js";

/**
 * Only a medication has a class; a blank one (written to the table by hand: the API stores
 * blank as null) is none, since the event's parser refuses an empty string and would refuse
 * the whole stock_low over it.
 */
function classOf(item: CatalogItemRow): string | null {
  const value = item.kind === "MEDICATION" ? item.therapeuticClass?.trim() : null;
  return value ? value : null;
}

/**
 * asky.dispensers.stock_low for a level that just fell under its minimum. The item's kind,
 * price and therapeutic class travel with it (the catalog row read in the same transaction),
 * so the requests service prices and classes the RESTOCK line from the event, never from a
 * call back here.
 */
export function stockLowEvent(
  level: StockLevelRow,
  dispenser: DispenserRow,
  item: CatalogItemRow,
  at = new Date(),
): EventEnvelope<StockLowData> {
  return stockLow.build(
    {
      stockLevelId: level.id,
      dispenserId: dispenser.id,
      dispenserCode: dispenser.code,
      ward: dispenser.ward,
      itemId: level.itemId,
      itemKind: item.kind,
      unitCost: Number(item.unitCost),
      therapeuticClass: classOf(item),
      quantity: level.quantity,
      minLevel: level.minLevel,
      parLevel: level.parLevel,
      suggestedRestockQuantity: Math.max(0, level.parLevel - level.quantity),
    },
    { occurredAt: at },
  );
}

/**
 * Raised only when `low` flips false → true, in the transaction that flips it: one event per
 * crossing, however many adjustments follow while the level stays low.
 */
export async function raiseStockLow(
  tx: DispensersTx,
  level: StockLevelRow,
  dispenser: DispenserRow,
  item: CatalogItemRow,
): Promise<void> {
  if (item.id !== level.itemId) throw new Error(`stock_low for level ${level.id} given item ${item.id}`);
  await appendEvent(tx, outbox, stockLowEvent(level, dispenser, item));
}
