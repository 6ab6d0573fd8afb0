import { canSeeWard } from "@asky/contracts";
import { loadStockLowAlert } from "../data/stock-low-alerts.js";
import type { QueryResolvers, StockLowAlertResolvers } from "../generated/resolvers-types.js";

/** Longer than any cursor the gateway hands out: refused before it reaches the database. */
const MAX_CURSOR_LENGTH = 200;

/**
 * Query.stockLowAlert: how the gateway resolves `stockLow` subscription payloads. An alert
 * exists for a viewer exactly when its ward is one she may see.
 */
export const stockLowAlert: NonNullable<QueryResolvers["stockLowAlert"]> = async (_parent, args, { db, viewer }) => {
  const { id, cursor } = args;
  if (viewer === null || (cursor !== null && cursor !== undefined && cursor.length > MAX_CURSOR_LENGTH)) return null;
  const alert = await loadStockLowAlert(db, id, cursor ?? null);
  return alert && canSeeWard(viewer, alert.ward) ? alert : null;
};

export const StockLowAlert: StockLowAlertResolvers = {
  /** Through the cabinet's stock loader: the alerts of one event share it with every other level read. */
  stockLevel: async (alert, _args, { loaders }) => {
    const levels = await loaders.stockByDispenser.load(alert.dispenserId);
    const level = levels.find((candidate) => candidate.id === alert.stockLevelId);
    if (!level) throw new Error(`stock level ${alert.stockLevelId} of alert ${alert.id} is missing`);
    return level;
  },
};
