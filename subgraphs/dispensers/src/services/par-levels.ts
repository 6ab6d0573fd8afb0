import type { DispensersContext } from "../context.js";
import { ensureStockLevel, lockStockLevel, updateStockLevel, type StockLevelRow } from "../data/stock-levels.js";
import { checkLevels, isLow } from "../domain/stock-rules.js";
import { raiseStockLow } from "../outbox/stock-low.js";
import { stockTarget } from "./stock-target.js";
import { inTransaction } from "./unit-of-work.js";

export interface ParLevelsArgs {
  dispenserId: string;
  itemId: string;
  parLevel: number;
  minLevel: number;
}

/**
 * Sets an item's levels in a cabinet, creating an empty stock level when the item is new
 * there. Raising the minimum above the quantity is a crossing like any other and raises
 * stock_low (an empty new slot asks to be filled).
 */
export function setParLevels(context: DispensersContext, args: ParLevelsArgs): Promise<StockLevelRow> {
  const levels = checkLevels(args);
  return inTransaction(context, async (tx, effects) => {
    const target = await stockTarget(tx, args.dispenserId, args.itemId);
    await ensureStockLevel(tx, { dispenserId: target.dispenser.id, itemId: target.item.id, ...levels });
    const level = await lockStockLevel(tx, target.dispenser.id, target.item.id);
    if (!level) throw new Error("stock level missing right after insert");
    const low = isLow(level.quantity, levels.minLevel);
    const updated = await updateStockLevel(tx, level.id, { quantity: level.quantity, low, ...levels });
    if (low && !level.low) {
      await raiseStockLow(tx, updated, target.dispenser, target.item);
    }
    effects.stockChanged(target.dispenser.id, level.id);
    return updated;
  });
}
