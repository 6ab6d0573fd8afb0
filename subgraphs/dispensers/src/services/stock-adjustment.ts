import { errors, hospitalToday } from "@asky/runtime";
import type { DispensersContext } from "../context.js";
import type { DispensersTx } from "../data/db.js";
import { ensureStockLevel, lockStockLevel, updateStockLevel, type StockLevelRow } from "../data/stock-levels.js";
import { applyLotChanges, lockLots } from "../data/stock-lots.js";
import { lotExpiriesOf, recordMovements } from "../data/stock-movements.js";
import { planAdjustment } from "../domain/stock-plan.js";
import { initialLevels, isLow } from "../domain/stock-rules.js";
import { raiseStockLow } from "../outbox/stock-low.js";
import type { AdjustStockInput } from "../generated/resolvers-types.js";
import { validateAdjustment, type StockAdjustment } from "../validation/stock-input.js";
import { stockTarget, type StockTarget } from "./stock-target.js";
import { spendWitness, witnessBeforehand } from "./stock-witness.js";
import { inTransaction } from "./unit-of-work.js";

/** The locked level to adjust, created empty by the first addition of an item to a cabinet. */
async function levelFor(tx: DispensersTx, target: StockTarget, adjustment: StockAdjustment): Promise<StockLevelRow> {
  const { dispenser, item } = target;
  const existing = await lockStockLevel(tx, dispenser.id, item.id);
  if (existing) return existing;
  if (adjustment.delta < 0) {
    throw errors.badUserInput(`${item.name} is not stocked in ${dispenser.code}`, { field: "itemId", available: 0 });
  }
  const levels = initialLevels(adjustment.delta, adjustment.parLevel, adjustment.minLevel);
  await ensureStockLevel(tx, { dispenserId: dispenser.id, itemId: item.id, ...levels });
  const created = await lockStockLevel(tx, dispenser.id, item.id);
  if (!created) throw new Error("stock level missing right after insert");
  return created;
}

/**
 * One stock movement, all or nothing: the witness's single use, lots, quantity, low flag,
 * ledger and (on crossing below the minimum) the stock_low event commit together. The level
 * row is locked first, so two nurses dispensing the last ampoule at once are served one after
 * the other, and the second is refused instead of driving the quantity negative. A loss of a
 * controlled medication's witness is verified before the transaction (it may fetch the users
 * service's keys) and spent inside it.
 */
export async function adjustStock(context: DispensersContext, input: AdjustStockInput): Promise<StockLevelRow> {
  const adjustment = validateAdjustment(input);
  const verified = await witnessBeforehand(context, adjustment);
  const today = hospitalToday();
  return inTransaction(context, async (tx, effects) => {
    const target = await stockTarget(tx, adjustment.dispenserId, adjustment.itemId);
    const witnessId = await spendWitness(tx, context, target, adjustment, verified);
    const level = await levelFor(tx, target, adjustment);
    const lots = await lockLots(tx, level.id);
    const plan = planAdjustment(level.quantity, lots, { ...adjustment, today });
    await applyLotChanges(tx, level.id, plan.lotChanges);
    const low = isLow(plan.quantityAfter, level.minLevel);
    const updated = await updateStockLevel(tx, level.id, { quantity: plan.quantityAfter, low });
    await recordMovements(tx, {
      stockLevelId: level.id,
      actorId: context.viewer?.id ?? null,
      reason: adjustment.reason,
      note: adjustment.note,
      quantityBefore: level.quantity,
      parts: plan.movements,
      witnessId,
      subject: {
        dispenserId: target.dispenser.id,
        ward: target.dispenser.ward,
        itemId: target.item.id,
        itemKind: target.item.kind,
        unitCost: target.item.unitCost,
        lotExpiries: lotExpiriesOf(
          lots,
          plan.lotChanges.flatMap((change) => (change.kind === "insert" ? [change] : [])),
        ),
      },
    });
    if (low && !level.low) {
      await raiseStockLow(tx, updated, target.dispenser, target.item);
    }
    effects.stockChanged(target.dispenser.id, level.id);
    return updated;
  });
}
