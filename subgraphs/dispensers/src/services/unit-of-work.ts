import type { CacheKey } from "../cache/read-cache.js";
import type { DispensersContext } from "../context.js";
import type { DispensersTx } from "../data/db.js";

/** What a write tells the unit of work to do once (and only if) it has committed. */
export interface WriteEffects {
  /** A cached row changed: forget it here and on every replica. */
  invalidate(key: CacheKey): void;
  /** A stock level changed: this request's loaders must not serve its old stock. */
  stockChanged(dispenserId: string, stockLevelId: string): void;
}

/**
 * Runs a write in one transaction, then applies its side effects after commit: never
 * before (a rolled-back write must not evict or announce anything) and never lost on the
 * happy path. Invalidation after commit leaves a window where another replica serves the
 * old row for a few milliseconds, which is acceptable for names and prices.
 */
export async function inTransaction<T>(
  context: DispensersContext,
  work: (tx: DispensersTx, effects: WriteEffects) => Promise<T>,
): Promise<T> {
  const keys: CacheKey[] = [];
  const stock: { dispenserId: string; stockLevelId: string }[] = [];
  const result = await context.db.transaction((tx) =>
    work(tx, {
      invalidate: (key) => keys.push(key),
      stockChanged: (dispenserId, stockLevelId) => stock.push({ dispenserId, stockLevelId }),
    }),
  );
  const { loaders, services } = context;
  services.bus.invalidate(keys);
  for (const key of keys) {
    if (key.kind === "dispenser") loaders.dispenser.clear(key.id);
    if (key.kind === "catalogItem") loaders.catalogItem.clear(key.id);
  }
  for (const { dispenserId, stockLevelId } of stock) {
    loaders.stockByDispenser.clear(dispenserId);
    loaders.lotsByLevel.clear(stockLevelId);
  }
  return result;
}
