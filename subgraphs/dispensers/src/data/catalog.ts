import { and, asc, count, eq, gt, inArray, or, type SQL } from "drizzle-orm";
import { catalogItems, type CatalogKind } from "@asky/db/schema/dispensers";
import { decodeCursor, likePattern, textSortKey, toConnection, type Connection } from "@asky/common";
import { sql } from "drizzle-orm";
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
export async function listCatalog(
  db: DispensersDb,
  filter: CatalogFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<CatalogItemRow>> {
  const conditions = filterConditions(filter);
  const cursor = decodeCursor(after, textSortKey);
  const page = cursor
    ? [...conditions, or(gt(catalogItems.name, cursor.sort), and(eq(catalogItems.name, cursor.sort), gt(catalogItems.id, cursor.id)))!]
    : conditions;
  const [rows, [total]] = await Promise.all([
    db.select().from(catalogItems).where(and(...page)).orderBy(asc(catalogItems.name), asc(catalogItems.id)).limit(size + 1),
    db.select({ value: count() }).from(catalogItems).where(and(...conditions)),
  ]);
  return toConnection(rows, size, total?.value ?? 0, (row) => ({ sort: row.name, id: row.id }));
}
