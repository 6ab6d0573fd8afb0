import { eq } from "drizzle-orm";
import { dispensers } from "@asky/db/schema/dispensers";
import type { DispensersDb, DispensersTx } from "./db.js";
import type { DispenserRow } from "./dispensers.js";

export type DispenserValues = Omit<typeof dispensers.$inferInsert, "id" | "createdAt" | "updatedAt">;
export type DispenserPatch = Partial<DispenserValues>;

export async function insertDispenser(tx: DispensersTx, values: DispenserValues): Promise<DispenserRow> {
  const [row] = await tx.insert(dispensers).values(values).returning();
  if (!row) throw new Error("insert into dispensers returned no row");
  return row;
}

export async function updateDispenserRow(
  tx: DispensersTx,
  id: string,
  patch: DispenserPatch,
): Promise<DispenserRow | null> {
  const [row] = await tx
    .update(dispensers)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(dispensers.id, id))
    .returning();
  return row ?? null;
}

export async function findDispenserByCode(db: DispensersDb | DispensersTx, code: string): Promise<DispenserRow | null> {
  const [row] = await db.select().from(dispensers).where(eq(dispensers.code, code));
  return row ?? null;
}

/** Uncached on purpose: a rotated-out token must stop resolving on every replica at once. */
export async function findDispenserByQrToken(db: DispensersDb, token: string): Promise<DispenserRow | null> {
  const [row] = await db.select().from(dispensers).where(eq(dispensers.qrToken, token));
  return row ?? null;
}

/** Uncached: inside a write from its transaction, before one from the pool (never the read cache). */
export async function findDispenser(tx: DispensersDb | DispensersTx, id: string): Promise<DispenserRow | null> {
  const [row] = await tx.select().from(dispensers).where(eq(dispensers.id, id));
  return row ?? null;
}
