import { and, count, eq, inArray, or, type SQL } from "drizzle-orm";
import { dispensers } from "@asky/db/schema/dispensers";
import { countOf, foldedContains, keyset, type Connection } from "@asky/runtime";
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
const byCode = keyset<DispenserRow>({
  column: dispensers.code,
  kind: "text",
  direction: "asc",
  cursorOf: (row) => ({ sort: row.code, id: row.id }),
});

export function listDispensers(
  db: DispensersDb,
  filter: DispenserListFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<DispenserRow>> {
  const conditions = filterConditions(filter);
  return byCode.page(
    { size, after },
    {
      rows: (past, limit) =>
        db
          .select()
          .from(dispensers)
          .where(and(...conditions, past))
          .orderBy(...byCode.orderBy)
          .limit(limit),
      total: () =>
        db
          .select({ value: count() })
          .from(dispensers)
          .where(and(...conditions))
          .then(countOf),
    },
  );
}
