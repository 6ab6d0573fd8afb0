import { and, asc, eq, gt, lte, type SQL } from "drizzle-orm";
import { dispensers, stockLevels, stockLots } from "@asky/db/schema/dispensers";
import type { DispensersDb } from "./db.js";

export interface ExpiringLotRow {
  lotNumber: string;
  expiresAt: string;
  quantity: number;
  dispenserId: string;
  itemId: string;
}

export interface ExpiringLotFilter {
  /** Last expiry date included, `YYYY-MM-DD`. */
  until: string;
  ward?: string | null;
  dispenserId?: string | null;
}

/** Lots expiring on or before `until` (expired ones included), first-expiring first. */
export function listExpiringLots(db: DispensersDb, filter: ExpiringLotFilter): Promise<ExpiringLotRow[]> {
  const conditions: SQL[] = [lte(stockLots.expiresAt, filter.until), gt(stockLots.quantity, 0)];
  if (filter.ward) conditions.push(eq(dispensers.ward, filter.ward));
  if (filter.dispenserId) conditions.push(eq(stockLevels.dispenserId, filter.dispenserId));
  return db
    .select({
      lotNumber: stockLots.lotNumber,
      expiresAt: stockLots.expiresAt,
      quantity: stockLots.quantity,
      dispenserId: stockLevels.dispenserId,
      itemId: stockLevels.itemId,
    })
    .from(stockLots)
    .innerJoin(stockLevels, eq(stockLevels.id, stockLots.stockLevelId))
    .innerJoin(dispensers, eq(dispensers.id, stockLevels.dispenserId))
    .where(and(...conditions))
    .orderBy(asc(stockLots.expiresAt), asc(dispensers.code), asc(stockLots.lotNumber));
}
