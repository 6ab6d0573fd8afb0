/**
 * asky.requests.lines_changed in the read model: a PENDING restock grown by the restock loop
 * (two real stock_low crossings of a new cabinet's item) reaches reports at its new version and
 * quantity with the creation time of its `created` event, and a rebuild that replays the stream
 * gives the same rows.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "@asky/events";
import { createLogger } from "@asky/runtime";
import { asGateway, eventually, testStack } from "@asky/stack/testing";
import { rebuildReadModel } from "../src/services/rebuild-read-model.js";
import { adminPool } from "./support.js";

const admin = asGateway("admin@asky.dev");
const pharmacist = asGateway("pharmacist@asky.dev");
const tech = asGateway("tech@asky.dev");
let pool: pg.Pool;

beforeAll(() => {
  pool = adminPool();
});
afterAll(async () => {
  await pool.end();
});

/** Par 40, minimum 10: the level of `itemId` in `dispenserId` moved by `delta`. */
async function adjust(dispenserId: string, itemId: string, delta: number): Promise<number> {
  const input = {
    dispenserId,
    itemId,
    delta,
    reason: delta > 0 ? "RESTOCK" : "COUNT_CORRECTION",
    parLevel: 40,
    minLevel: 10,
  };
  const { adjustStock } = await tech.ok<{ adjustStock: { quantity: number } }>(
    `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { quantity } }`,
    { input },
  );
  return adjustStock.quantity;
}

/** Stocks the level up, then takes it below its minimum to `to`: one stock_low. */
async function crossTo(dispenserId: string, itemId: string, to: number): Promise<void> {
  const quantity = await adjust(dispenserId, itemId, 40);
  await adjust(dispenserId, itemId, to - quantity);
}

interface Row {
  version: number;
  status: string;
  created_at: Date | null;
  accepted_at: Date | null;
  quantity_requested: number;
  line_version: number;
}

async function rowOf(dispenserId: string): Promise<Row | undefined> {
  const { rows } = await pool.query<Row>(
    `select f.version, f.status, f.created_at, f.accepted_at, l.quantity_requested, l.version as line_version
       from reports.request_facts f join reports.request_line_facts l using (request_id)
      where f.dispenser_id = $1 and f.kind = 'RESTOCK'`,
    [dispenserId],
  );
  return rows[0];
}

describe("lines_changed in the reports read model", () => {
  it("advances the version and the lines, moves no status time, and replays the same", async () => {
    const suffix = Math.random().toString(36).slice(2, 8).toUpperCase();
    const [{ createDispenser }, { createMaterial }] = await Promise.all([
      admin.ok<{ createDispenser: { id: string } }>(
        `mutation($input: CreateDispenserInput!) { createDispenser(input: $input) { id } }`,
        { input: { code: `PYX-ZLC-${suffix}`, name: `Cabinet ${suffix}`, ward: "UTI-ADULTO", location: "Posto" } },
      ),
      pharmacist.ok<{ createMaterial: { id: string } }>(
        `mutation($input: CreateMaterialInput!) { createMaterial(input: $input) { id } }`,
        { input: { code: `MAT-ZLC-${suffix}`, name: `Gaze ${suffix}`, unit: "pct", unitCost: 0.4 } },
      ),
    ]);
    const cabinet = createDispenser.id;
    const item = createMaterial.id;

    // To 5: a RESTOCK of 35 (version 1). To 0: grown to 40 (version 2), still PENDING.
    await crossTo(cabinet, item, 5);
    await eventually(() => rowOf(cabinet), 20_000, "the RESTOCK in the read model");
    await crossTo(cabinet, item, 0);
    const grown = await eventually(
      async () => {
        const row = await rowOf(cabinet);
        return row?.version === 2 ? row : undefined;
      },
      20_000,
      "the grown RESTOCK in the read model",
    );
    const { rows } = await pool.query<{ created_at: Date }>(
      `select (payload->>'occurredAt')::timestamptz as created_at from requests.outbox
        where subject = 'asky.requests.created' and payload->'data'->>'dispenserId' = $1`,
      [cabinet],
    );
    expect(grown).toEqual({
      version: 2,
      status: "PENDING",
      created_at: rows[0]!.created_at,
      accepted_at: null,
      quantity_requested: 40,
      line_version: 2,
    });

    // Emptied and replayed from the stream (beside the live consumers): the same row.
    const logger = createLogger("reports-lines-changed-test", "warn");
    const readModel = new pg.Pool({ connectionString: testStack().serviceDatabaseUrls.reports, max: 2 });
    const nats = await connectNats(testStack().natsUrl, "reports-lines-changed-test", logger);
    try {
      await rebuildReadModel({ pool: readModel, nats, logger, batchSize: 50 });
    } finally {
      await nats.drain();
      await readModel.end();
    }
    expect(await rowOf(cabinet)).toEqual(grown);
  });
});
