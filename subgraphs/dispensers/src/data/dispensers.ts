import { and, asc, count, eq, gt, inArray, or, type SQL } from "drizzle-orm";
import { dispensers } from "@asky/db/schema/dispensers";
import { decodeCursor, foldedContains, textSortKey, toConnection, type Connection } from "@asky/common";
import type { DispensersDb } from "./db.js";

export type DispenserRow = typeof dispensers.$inferSelect;

/** Batch fetch behind the (cached) dispenser loader; ids are already checked to be UUIDs. */
export const fetchDispensersById = (db: DispensersDb) => (ids: string[]) =>
  db.select().from(dispensers).where(inArray(dispensers.id, ids));

export interface DispenserListFilter {
  ward?: string | null;
  search?: string | null;
}

function filterConditions(filter: DispenserListFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.ward) conditions.push(eq(dispensers.ward, filter.ward));
  if (filter.search) {
    conditions.push(
      or(
        foldedContains(dispensers.code, filter.search),
        foldedContains(dispensers.name, filter.search),
        foldedContains(dispensers.location, filter.search),
      )!,
    );
  }
  return conditions;
}

/** Dispensers ordered by code (unique), so the code alone is a stable cursor. */
export async function listDispensers(
  db: DispensersDb,
  filter: DispenserListFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<DispenserRow>> {
  const conditions = filterConditions(filter);
  const cursor = decodeCursor(after, textSortKey);
  const page = cursor ? [...conditions, gt(dispensers.code, cursor.sort)] : conditions;
  const [rows, [total]] = await Promise.all([
    db.select().from(dispensers).where(and(...page)).orderBy(asc(dispensers.code)).limit(size + 1),
    db.select({ value: count() }).from(dispensers).where(and(...conditions)),
  ]);
  return toConnection(rows, size, total?.value ?? 0, (row) => ({ sort: row.code, id: row.id }));
}
