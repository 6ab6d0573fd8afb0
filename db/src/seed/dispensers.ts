import { randomBytes, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import {
  catalogItems,
  dispensers as dispensersTable,
  stockLevels,
  stockLots,
  stockMovements,
  processedEvents,
  wards as wardsTable,
} from "../schema/dispensers.js";
import { catalogSearchText } from "../search.js";
import { materials, medications } from "./data/formulary.js";
import { dispensers, wards } from "./data/wards.js";
import { dispenserId, itemId } from "./ids.js";
import { nursesOfWard, peopleWithRole } from "./people.js";
import { stockPlan } from "./plan.js";
import { RESTOCK_DELIVERED_CONSUMER, seededRestockDeliveries } from "./request-events.js";
import { planRequests } from "./requests.js";

type Db = NodePgDatabase<Record<string, never>>;

const DAY = 86_400_000;

/** `YYYY-MM-DD` of `now` + `days` (UTC calendar date). */
function dateIn(now: Date, days: number): string {
  return new Date(now.getTime() + days * DAY).toISOString().slice(0, 10);
}

/** Opaque QR token: 32 random bytes, base64url (43 chars). */
export function newQrToken(): string {
  return randomBytes(32).toString("base64url");
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Wards, cabinets, formulary and ~25 stock levels per cabinet with lots and a ledger. */
export async function seedDispensers(tx: Db, now = new Date()): Promise<boolean> {
  const existing = await tx.execute(
    sql`SELECT EXISTS (SELECT 1 FROM ${wardsTable}) OR EXISTS (SELECT 1 FROM ${dispensersTable}) OR EXISTS (SELECT 1 FROM ${catalogItems}) AS "exists"`,
  );
  if (existing.rows[0]?.exists) return false;

  await tx.insert(wardsTable).values(wards.map((w) => ({ code: w.code, name: w.name, floor: w.floor })));

  const seededAt = new Date(now.getTime() - 60 * DAY);
  await tx.insert(dispensersTable).values(
    dispensers.map((d) => ({
      id: dispenserId(d.code),
      code: d.code,
      name: d.name,
      ward: d.ward,
      floor: d.floor,
      location: d.location,
      status: d.status,
      qrToken: newQrToken(),
      createdAt: seededAt,
      updatedAt: seededAt,
    })),
  );

  await tx.insert(catalogItems).values([
    ...medications.map((m) => ({
      id: itemId(m.code),
      code: m.code,
      kind: "MEDICATION" as const,
      name: m.name,
      searchText: catalogSearchText(m.name, m.activeIngredient),
      unit: m.unit,
      unitCost: m.unitCost,
      activeIngredient: m.activeIngredient,
      strength: m.strength,
      dosageForm: m.dosageForm,
      area: m.area,
      therapeuticClass: m.therapeuticClass,
      controlList: m.controlList,
      createdAt: seededAt,
      updatedAt: seededAt,
    })),
    ...materials.map((m) => ({
      id: itemId(m.code),
      code: m.code,
      kind: "MATERIAL" as const,
      name: m.name,
      searchText: catalogSearchText(m.name),
      unit: m.unit,
      unitCost: m.unitCost,
      description: m.description,
      createdAt: seededAt,
      updatedAt: seededAt,
    })),
  ]);

  const technicians = peopleWithRole("PHARMACY_TECHNICIAN");
  const levelRows: (typeof stockLevels.$inferInsert)[] = [];
  const lotRows: (typeof stockLots.$inferInsert)[] = [];
  const movementRows: (typeof stockMovements.$inferInsert)[] = [];

  for (const [dispenserIndex, d] of dispensers.entries()) {
    const nurses = nursesOfWard(d.ward);
    for (const [levelIndex, level] of stockPlan(d.code, d.ward).entries()) {
      const levelId = randomUUID();
      const loader = technicians[(dispenserIndex + levelIndex) % technicians.length]?.id ?? null;
      // Ledger: each lot is loaded (RESTOCK), later part of it is dispensed to patients. Events
      // are ordered by time before computing the running quantity, so the ledger replays.
      type LedgerEvent = {
        at: Date;
        delta: number;
        lotNumber: string;
        reason: "RESTOCK" | "DISPENSED";
        actorId: string | null;
      };
      const events: LedgerEvent[] = [];
      for (const [lotIndex, lot] of level.lots.entries()) {
        const loadedAt = new Date(now.getTime() - lot.loadedDaysAgo * DAY + lotIndex * 60_000);
        events.push({
          at: loadedAt,
          delta: lot.quantity + lot.dispensed,
          lotNumber: lot.lotNumber,
          reason: "RESTOCK",
          actorId: loader,
        });
        if (lot.dispensed > 0) {
          events.push({
            at: new Date(loadedAt.getTime() + Math.max(1, lot.loadedDaysAgo - 1) * DAY * 0.5),
            delta: -lot.dispensed,
            lotNumber: lot.lotNumber,
            reason: "DISPENSED",
            actorId: nurses.length > 0 ? nurses[(levelIndex + lotIndex) % nurses.length]!.id : null,
          });
        }
        if (lot.quantity > 0) {
          lotRows.push({
            stockLevelId: levelId,
            lotNumber: lot.lotNumber,
            expiresAt: dateIn(now, lot.expiresInDays),
            quantity: lot.quantity,
          });
        }
      }
      events.sort((a, b) => a.at.getTime() - b.at.getTime());
      let quantity = 0;
      for (const e of events) {
        movementRows.push({
          stockLevelId: levelId,
          at: e.at,
          actorId: e.actorId,
          reason: e.reason,
          note: e.reason === "RESTOCK" ? "Carga do dispensário" : null,
          delta: e.delta,
          quantityBefore: quantity,
          quantityAfter: quantity + e.delta,
          lotNumber: e.lotNumber,
        });
        quantity += e.delta;
      }
      const lastAt = events[events.length - 1]?.at ?? seededAt;
      if (quantity !== level.quantity) throw new Error(`seed plan inconsistent for ${d.code}/${level.item.code}`);
      levelRows.push({
        id: levelId,
        dispenserId: dispenserId(d.code),
        itemId: level.item.id,
        quantity: level.quantity,
        parLevel: level.parLevel,
        minLevel: level.minLevel,
        low: level.low,
        updatedAt: lastAt,
      });
    }
  }

  await insertChunked(levelRows, (chunk) => tx.insert(stockLevels).values(chunk));
  await insertChunked(lotRows, (chunk) => tx.insert(stockLots).values(chunk));
  movementRows.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime());
  await insertChunked(movementRows, (chunk) => tx.insert(stockMovements).values(chunk));
  // The seeded requests' events include deliveries of RESTOCKs whose units this stock already
  // holds: recorded as applied, the consumer acknowledges them without adding them again.
  const deliveries = seededRestockDeliveries(planRequests(now));
  if (deliveries.length > 0) {
    await tx
      .insert(processedEvents)
      .values(deliveries.map((eventId) => ({ consumer: RESTOCK_DELIVERED_CONSUMER, eventId })));
  }
  return true;
}
