import { and, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { catalogItems, type CatalogKind } from "@asky/db/schema/dispensers";
import { countOf, keyset, likePattern, type Connection } from "@asky/runtime";
import type { DispensersDb } from "./db.js";

export type CatalogItemRow = typeof catalogItems.$inferSelect;

/** Batch fetch behind the (cached) catalog item loader; ids are already checked to be UUIDs. */
export const fetchCatalogItemsById = (db: DispensersDb) => (ids: string[]) =>
  db.select().from(catalogItems).where(inArray(catalogItems.id, ids));

export interface CatalogFilter {
  kind?: CatalogKind | null;
  /** Already normalized (lowercase, no accents), like the stored search_text. */
  search?: string | null;
}

function filterConditions(filter: CatalogFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.kind) conditions.push(eq(catalogItems.kind, filter.kind));
  if (filter.search) {
    conditions.push(
      or(
        sql`${catalogItems.searchText} like ${likePattern(filter.search)}`,
        sql`lower(${catalogItems.code}) like ${likePattern(filter.search)}`,
      )!,
    );
  }
  return conditions;
}

/** Catalog ordered by name, then id. */
const byName = keyset<CatalogItemRow>({
  column: catalogItems.name,
  kind: "text",
  tieBreaker: catalogItems.id,
  direction: "asc",
  cursorOf: (row) => ({ sort: row.name, id: row.id }),
});

export function listCatalog(
  db: DispensersDb,
  filter: CatalogFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<CatalogItemRow>> {
  const conditions = filterConditions(filter);
  return byName.page(
    { size, after },
    {
      rows: (past, limit) =>
        db
          .select()
          .from(catalogItems)
          .where(and(...conditions, past))
          .orderBy(...byName.orderBy)
          .limit(limit),
      total: () =>
        db
          .select({ value: count() })
          .from(catalogItems)
          .where(and(...conditions))
          .then(countOf),
    },
  );
}
