import { errors } from "@asky/runtime";
import { isUuid } from "@asky/contracts";
import type { CatalogItemRow } from "../data/catalog.js";
import { findCatalogItem } from "../data/catalog-writes.js";
import type { DispensersDb, DispensersTx } from "../data/db.js";
import { findDispenser } from "../data/dispenser-writes.js";
import type { DispenserRow } from "../data/dispensers.js";

export interface StockTarget {
  dispenser: DispenserRow;
  item: CatalogItemRow;
}

/**
 * The dispenser and item a stock write names; unknown ones are NOT_FOUND before anything
 * changes. From the write's transaction, or from the pool for the checks made before it.
 */
export async function stockTarget(
  tx: DispensersDb | DispensersTx,
  dispenserId: string,
  itemId: string,
): Promise<StockTarget> {
  const dispenser = isUuid(dispenserId) ? await findDispenser(tx, dispenserId) : null;
  if (!dispenser) throw errors.notFound("Dispenser", dispenserId);
  const item = isUuid(itemId) ? await findCatalogItem(tx, itemId) : null;
  if (!item) throw errors.notFound("Catalog item", itemId);
  return { dispenser, item };
}
