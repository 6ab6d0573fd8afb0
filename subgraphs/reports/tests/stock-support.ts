/**
 * Stock moved through the real API for the stock reports tests (new cabinets and items, so the
 * seed is neither needed nor disturbed), and the same figures computed independently from the
 * dispensers service's ledger, the source of truth the read model is projected from.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { asGateway, eventually } from "@asky/stack/testing";

const admin = asGateway("admin@asky.dev");
const pharmacist = asGateway("pharmacist@asky.dev");
const tech = asGateway("tech@asky.dev");

/** `YYYY-MM-DD`, `days` from today (a margin of days keeps the hospital's calendar out of it). */
export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export async function newCabinet(ward: string): Promise<string> {
  const code = `PYX-RPT-${randomUUID().slice(0, 6).toUpperCase()}`;
  const { createDispenser } = await admin.ok<{ createDispenser: { id: string } }>(
    `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
    { input: { code, name: `Cabinet ${code}`, ward, location: "Sala de testes" } },
  );
  return createDispenser.id;
}

export async function newMaterial(unitCost: number): Promise<string> {
  const code = `MAT-RPT-${randomUUID().slice(0, 6).toUpperCase()}`;
  const { createMaterial } = await pharmacist.ok<{ createMaterial: { id: string } }>(
    `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`,
    { input: { code, name: `Luva ${code}`, unit: "par", unitCost } },
  );
  return createMaterial.id;
}

/**
 * Levels for a slot's first movement that never run low: a low level raises stock_low, whose
 * automatic RESTOCK request (opened, or amended without a lifecycle event) is no part of these
 * tests and would keep the read model's request version behind the requests database.
 */
export const NEVER_LOW = { parLevel: 20, minLevel: 0 } as const;

export async function adjust(input: Record<string, unknown>): Promise<number> {
  const { adjustStock } = await pharmacist.ok<{ adjustStock: { quantity: number } }>(
    `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity } }`,
    { input },
  );
  return adjustStock.quantity;
}

async function move(requestId: string, status: string, expectedVersion: number): Promise<number> {
  const { changeRequestStatus } = await tech.ok<{ changeRequestStatus: { version: number } }>(
    `mutation($input: ChangeRequestStatusInput!) { changeRequestStatus(input: $input) { version } }`,
    { input: { requestId, status, expectedVersion } },
  );
  return changeRequestStatus.version;
}

/** A RESTOCK of `quantity` units of `itemId`, picked in one dated lot, dispatched and delivered. */
export async function deliverRestock(dispenserId: string, itemId: string, quantity: number, lotNumber: string) {
  const { createRequest } = await tech.ok<{ createRequest: { id: string; version: number } }>(
    `mutation($input: CreateRequestInput!) { createRequest(input: $input) { id version } }`,
    { input: { kind: "RESTOCK", dispenserId, items: [{ itemId, quantity }] } },
  );
  const requestId = createRequest.id;
  let version = await move(requestId, "ACCEPTED", createRequest.version);
  version = await move(requestId, "PREPARING", version);
  const lots = [{ lotNumber, expiresAt: inDays(300), quantity }];
  const { recordPick } = await tech.ok<{ recordPick: { version: number } }>(
    `mutation($input: RecordPickInput!) { recordPick(input: $input) { version } }`,
    { input: { requestId, expectedVersion: version, lines: [{ itemId, quantity, lots }] } },
  );
  await move(requestId, "DELIVERED", await move(requestId, "DISPATCHED", recordPick.version));
}

/** One row of the dispensers ledger with where it happened and the item's price. */
export interface LedgerRow {
  stockLevelId: string;
  dispenserId: string;
  ward: string;
  itemId: string;
  seq: number;
  at: Date;
  reason: string;
  delta: number;
  quantityBefore: number;
  quantityAfter: number;
  lotNumber: string | null;
  unitCostCents: number;
}

/** The ledger of these cabinets, in the order it was written. */
export async function ledgerOf(pool: pg.Pool, dispenserIds: readonly string[]): Promise<LedgerRow[]> {
  const { rows } = await pool.query<LedgerRow>(
    `SELECT m.stock_level_id AS "stockLevelId", l.dispenser_id AS "dispenserId", d.ward, l.item_id AS "itemId",
       m.seq::int AS seq, m.at, m.reason::text AS reason, m.delta, m.quantity_before AS "quantityBefore",
       m.quantity_after AS "quantityAfter", m.lot_number AS "lotNumber",
       round(c.unit_cost * 100)::int AS "unitCostCents"
     FROM dispensers.stock_movements m
     JOIN dispensers.stock_levels l ON l.id = m.stock_level_id
     JOIN dispensers.dispensers d ON d.id = l.dispenser_id
     JOIN dispensers.catalog_items c ON c.id = l.item_id
     WHERE l.dispenser_id = ANY($1) ORDER BY m.seq`,
    [dispenserIds],
  );
  return rows;
}

/** Waits until the read model holds every ledger row of these cabinets. */
export async function stockFactsCaughtUp(pool: pg.Pool, dispenserIds: readonly string[]): Promise<number> {
  return eventually(
    async () => {
      const { rows } = await pool.query<{ ledger: number; facts: number }>(
        `SELECT (SELECT count(*)::int FROM dispensers.stock_movements m JOIN dispensers.stock_levels l
                   ON l.id = m.stock_level_id WHERE l.dispenser_id = ANY($1)) AS ledger,
                (SELECT count(*)::int FROM reports.stock_movement_facts WHERE dispenser_id = ANY($1)) AS facts`,
        [dispenserIds],
      );
      const { ledger, facts } = rows[0]!;
      return ledger > 0 && ledger === facts ? facts : null;
    },
    30_000,
    "the reports read model to hold the cabinets' ledger",
  );
}
