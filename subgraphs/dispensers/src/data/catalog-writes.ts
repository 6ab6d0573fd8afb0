import { eq } from "drizzle-orm";
import { catalogItems } from "@asky/db/schema/dispensers";
import type { CatalogItemRow } from "./catalog.js";
import type { DispensersDb, DispensersTx } from "./db.js";

export type CatalogInsert = Omit<typeof catalogItems.$inferInsert, "id" | "createdAt" | "updatedAt">;
export type CatalogPatch = Partial<CatalogInsert>;

export async function insertCatalogItem(tx: DispensersTx, values: CatalogInsert): Promise<CatalogItemRow> {
  const [row] = await tx.insert(catalogItems).values(values).returning();
  if (!row) throw new Error("insert into catalog_items returned no row");
  return row;
}

/** Locks the row: the new search text is derived from its current name and ingredient. */
export async function lockCatalogItem(tx: DispensersTx, id: string): Promise<CatalogItemRow | null> {
  const [row] = await tx.select().from(catalogItems).where(eq(catalogItems.id, id)).for("update");
  return row ?? null;
}

export async function updateCatalogItemRow(tx: DispensersTx, id: string, patch: CatalogPatch): Promise<CatalogItemRow> {
  const [row] = await tx
    .update(catalogItems)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(catalogItems.id, id))
    .returning();
  if (!row) throw new Error(`catalog item ${id} vanished while locked`);
  return row;
}

export async function catalogCodeTaken(tx: DispensersTx, code: string, exceptId?: string): Promise<boolean> {
  const [row] = await tx.select({ id: catalogItems.id }).from(catalogItems).where(eq(catalogItems.code, code));
  return row !== undefined && row.id !== exceptId;
}

/** Uncached: inside a write from its transaction, before one from the pool (never the read cache). */
export async function findCatalogItem(tx: DispensersDb | DispensersTx, id: string): Promise<CatalogItemRow | null> {
  const [row] = await tx.select().from(catalogItems).where(eq(catalogItems.id, id));
  return row ?? null;
}
