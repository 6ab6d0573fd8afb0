import type { CatalogItemRow } from "../data/catalog.js";
import type { DispenserRow } from "../data/dispensers.js";
import type { ExpiringLotResolvers, StockLevelResolvers, StockLotResolvers } from "../generated/resolvers-types.js";
import { daysBetween, hospitalToday, isExpired } from "@asky/runtime";

/** Stock rows reference their dispenser and item by foreign key; a miss is a broken invariant. */
function present<T>(row: T | null, what: string, id: string): T {
  if (row === null) throw new Error(`${what} ${id} referenced by stock is missing`);
  return row;
}

const dispenserOf = (row: DispenserRow | null, id: string) => present(row, "dispenser", id);
const itemOf = (row: CatalogItemRow | null, id: string) => present(row, "catalog item", id);

export const StockLevel: StockLevelResolvers = {
  dispenser: async (level, _args, { loaders }) =>
    dispenserOf(await loaders.dispenser.load(level.dispenserId), level.dispenserId),
  item: async (level, _args, { loaders }) => itemOf(await loaders.catalogItem.load(level.itemId), level.itemId),
  lots: (level, _args, { loaders }) => loaders.lotsByLevel.load(level.id),
  /**
   * quantity minus the units in expired lots. Units outside any lot have no known expiry and
   * count as available; with every unit in a lot this equals the sum of unexpired lots.
   */
  available: async (level, _args, { loaders }) => {
    const today = hospitalToday();
    const lots = await loaders.lotsByLevel.load(level.id);
    const expired = lots.filter((lot) => isExpired(lot.expiresAt, today)).reduce((sum, lot) => sum + lot.quantity, 0);
    return Math.max(0, level.quantity - expired);
  },
  suggestedRestock: (level) => Math.max(0, level.parLevel - level.quantity),
};

export const StockLot: StockLotResolvers = {
  expired: (lot) => isExpired(lot.expiresAt, hospitalToday()),
};

export const ExpiringLot: ExpiringLotResolvers = {
  dispenser: async (lot, _args, { loaders }) =>
    dispenserOf(await loaders.dispenser.load(lot.dispenserId), lot.dispenserId),
  item: async (lot, _args, { loaders }) => itemOf(await loaders.catalogItem.load(lot.itemId), lot.itemId),
  expired: (lot) => isExpired(lot.expiresAt, hospitalToday()),
  daysUntilExpiry: (lot) => daysBetween(hospitalToday(), lot.expiresAt),
};
