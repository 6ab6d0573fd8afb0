import { asc, eq } from "drizzle-orm";
import { wards } from "@asky/db/schema/dispensers";
import type { DispensersDb, DispensersTx } from "./db.js";

export type WardRow = typeof wards.$inferSelect;

export const listWards = (db: DispensersDb): Promise<WardRow[]> => db.select().from(wards).orderBy(asc(wards.code));

export async function findWard(db: DispensersDb | DispensersTx, code: string): Promise<WardRow | null> {
  const [row] = await db.select().from(wards).where(eq(wards.code, code));
  return row ?? null;
}
