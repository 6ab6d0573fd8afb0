/**
 * The stock reports against the dispensers ledger, through the gateway: stock adjusted to zero
 * and back, an expired lot written off, a RESTOCK delivered; `stockouts` and `expiryLoss` equal
 * what the test computes from dispensers.stock_movements, the same after the read model is
 * emptied and rebuilt from the stream, and unchanged by a redelivered event.
 */
import { randomUUID } from "node:crypto";
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stockMoved } from "@asky/contracts";
import { connectNats } from "@asky/events";
import { createLogger } from "@asky/runtime";
import { asGateway, eventually, readStream, testStack } from "@asky/stack/testing";
import { rebuildReadModel } from "../src/services/rebuild-read-model.js";
import { adminPool, dipirona } from "./support.js";
import { expectedExpiryLoss, expectedStockouts } from "./stock-expected.js";
import {
  adjust,
  deliverRestock,
  inDays,
  ledgerOf,
  NEVER_LOW,
  newCabinet,
  newMaterial,
  stockFactsCaughtUp,
} from "./stock-support.js";

const STOCKOUTS = `query($from: DateTime!, $to: DateTime!, $dispenserId: ID, $ward: String) {
  stockouts(from: $from, to: $to, dispenserId: $dispenserId, ward: $ward) {
    stockLevelId dispenserId ward itemId secondsAtZero stockouts atZeroAtEnd atZeroNow
  }
}`;
const EXPIRY_LOSS = `query($from: DateTime!, $to: DateTime!, $groupBy: [ExpiryLossGroup!]!) {
  expiryLoss(from: $from, to: $to, groupBy: $groupBy) { group { ward itemId month } units cost movements }
}`;

type StockoutRow = ReturnType<typeof expectedStockouts>[number];
type LossRow = { group: { ward: string; itemId: string; month: string | null }; units: number; cost: string };

const pharmacist = asGateway("pharmacist@asky.dev");
let pool: pg.Pool;
let from: Date;
let to: Date;
let cabinets: string[];

/** The two reports over the period, kept to this test's cabinets (other files may move stock too). */
async function figures() {
  const range = { from: from.toISOString(), to: to.toISOString() };
  const { stockouts } = await pharmacist.ok<{ stockouts: StockoutRow[] }>(STOCKOUTS, range);
  const { expiryLoss } = await pharmacist.ok<{ expiryLoss: LossRow[] }>(EXPIRY_LOSS, {
    ...range,
    groupBy: ["WARD", "ITEM"],
  });
  const ledger = await ledgerOf(pool, cabinets);
  const items = new Set(ledger.map((row) => row.itemId));
  return {
    stockouts: stockouts.filter((row) => cabinets.includes(row.dispenserId)),
    expiryLoss: expiryLoss
      .filter((row) => items.has(row.group.itemId))
      .map(({ group: { ward, itemId }, ...rest }) => ({ group: { ward, itemId }, ...rest })),
  };
}

beforeAll(async () => {
  pool = adminPool();
  from = new Date();
  const [uti, peds, delivered, glove, gauze] = await Promise.all([
    newCabinet("UTI-ADULTO"),
    newCabinet("PEDIATRIA"),
    // A cabinet of its own for the delivered RESTOCK: one open restock per cabinet, and the
    // others' low levels open theirs.
    newCabinet("UTI-ADULTO"),
    newMaterial(1.25),
    newMaterial(0.4),
  ]);
  cabinets = [uti, peds, delivered];
  // A RESTOCK delivered: its units land in the picked lot, by the dispensers service's consumer.
  await deliverRestock(delivered, dipirona, 4, "DIP-RPT");
  await eventually(
    async () => (await ledgerOf(pool, [delivered])).length > 0 || null,
    30_000,
    "the delivered restock in the ledger",
  );
  // UTI: stocked, an expired lot found and written off, emptied, refilled, emptied again. The
  // levels' minimum is 0: never low, so no automatic RESTOCK request is opened or amended.
  await adjust({
    dispenserId: uti,
    itemId: glove,
    delta: 5,
    reason: "RESTOCK",
    lotNumber: "G1",
    expiresAt: inDays(100),
    ...NEVER_LOW,
  });
  await adjust({
    dispenserId: uti,
    itemId: glove,
    delta: 3,
    reason: "COUNT_CORRECTION",
    lotNumber: "G-OLD",
    expiresAt: inDays(-10),
  });
  await adjust({ dispenserId: uti, itemId: glove, delta: -3, reason: "EXPIRED" });
  await adjust({ dispenserId: uti, itemId: glove, delta: -5, reason: "DISPENSED" });
  await adjust({
    dispenserId: uti,
    itemId: glove,
    delta: 4,
    reason: "RESTOCK",
    lotNumber: "G2",
    expiresAt: inDays(200),
  });
  await adjust({ dispenserId: uti, itemId: glove, delta: -4, reason: "DISPENSED" });
  // PEDIATRIA: emptied and refilled (not at zero at the end), and an expired lot written off by number.
  await adjust({ dispenserId: peds, itemId: gauze, delta: 2, reason: "RESTOCK", ...NEVER_LOW });
  await adjust({ dispenserId: peds, itemId: gauze, delta: -2, reason: "DISPENSED" });
  await adjust({
    dispenserId: peds,
    itemId: gauze,
    delta: 7,
    reason: "COUNT_CORRECTION",
    lotNumber: "Z-OLD",
    expiresAt: inDays(-5),
  });
  await adjust({ dispenserId: peds, itemId: gauze, delta: -6, reason: "EXPIRED", lotNumber: "Z-OLD" });
  await stockFactsCaughtUp(pool, cabinets);
  to = new Date();
}, 180_000);

afterAll(async () => {
  await pool.end();
});

describe("stock reports", () => {
  it("equal those computed from the dispensers ledger", async () => {
    const ledger = await ledgerOf(pool, cabinets);
    const { stockouts, expiryLoss } = await figures();
    const expected = expectedStockouts(ledger, from, to);
    expect(stockouts.map(({ secondsAtZero: _s, ...row }) => row)).toEqual(
      expected.map(({ secondsAtZero: _s, ...row }) => row),
    );
    stockouts.forEach((row, index) => expect(row.secondsAtZero).toBeCloseTo(expected[index]!.secondsAtZero, 3));
    // Glove emptied twice and still empty; gauze once and refilled. Dipirona's level has no row
    // before its delivery: what it held until then is unknown, so it is not counted at zero.
    expect(stockouts.map((row) => [row.ward, row.stockouts, row.atZeroAtEnd]).sort()).toEqual(
      [
        ["UTI-ADULTO", 2, true],
        ["PEDIATRIA", 1, false],
      ].sort(),
    );
    expect(expiryLoss).toEqual(expectedExpiryLoss(ledger, from, to));
    // 3 gloves at 1.25 and 6 gauzes at 0.40.
    expect(expiryLoss.map((row) => [row.group.ward, row.units, row.cost])).toEqual([
      ["PEDIATRIA", 6, "2.40"],
      ["UTI-ADULTO", 3, "3.75"],
    ]);
  });

  it("count a level that sat at zero through a period with no movement of its own", async () => {
    // [to, now): nothing moved since `to`; the glove level has been empty since its last dispensing.
    const later = new Date();
    const { stockouts } = await pharmacist.ok<{ stockouts: StockoutRow[] }>(STOCKOUTS, {
      from: to.toISOString(),
      to: later.toISOString(),
    });
    const expected = expectedStockouts(await ledgerOf(pool, cabinets), to, later);
    expect(expected.map((row) => [row.stockouts, row.atZeroAtEnd, row.secondsAtZero])).toEqual([
      [0, true, (later.getTime() - to.getTime()) / 1000],
    ]);
    const ours = stockouts.filter((row) => cabinets.includes(row.dispenserId));
    expect(ours.map(({ secondsAtZero: _s, ...row }) => row)).toEqual(
      expected.map(({ secondsAtZero: _s, ...row }) => row),
    );
    expect(ours[0]!.secondsAtZero).toBeCloseTo(expected[0]!.secondsAtZero, 3);
  });

  it("keep each ledger row's lot expiry, the delivered restock's too", async () => {
    const { rows } = await pool.query<{ lot_number: string; lot_expires_at: string; reason: string }>(
      `SELECT lot_number, to_char(lot_expires_at, 'YYYY-MM-DD') AS lot_expires_at, reason
       FROM reports.stock_movement_facts WHERE dispenser_id = ANY($1) AND lot_number IS NOT NULL ORDER BY seq`,
      [cabinets],
    );
    const expiries = Object.fromEntries(rows.map((row) => [`${row.reason} ${row.lot_number}`, row.lot_expires_at]));
    expect(expiries).toMatchObject({
      "EXPIRED G-OLD": inDays(-10),
      "EXPIRED Z-OLD": inDays(-5),
      "RESTOCK DIP-RPT": inDays(300),
    });
  });

  it("group expiry loss by month in the hospital's time zone and filter stockouts by cabinet", async () => {
    const range = { from: from.toISOString(), to: to.toISOString() };
    const { expiryLoss } = await pharmacist.ok<{ expiryLoss: LossRow[] }>(EXPIRY_LOSS, {
      ...range,
      groupBy: ["MONTH"],
    });
    const months = await pool.query<{ month: string }>(
      `SELECT DISTINCT to_char(at AT TIME ZONE 'America/Sao_Paulo', 'YYYY-MM') AS month
       FROM dispensers.stock_movements WHERE reason = 'EXPIRED' AND at >= $1 AND at < $2 ORDER BY 1`,
      [from, to],
    );
    expect(expiryLoss.map((row) => row.group.month)).toEqual(months.rows.map((row) => row.month));
    const [uti] = cabinets;
    const { stockouts } = await pharmacist.ok<{ stockouts: StockoutRow[] }>(STOCKOUTS, { ...range, dispenserId: uti });
    expect(stockouts.map((row) => row.dispenserId)).toEqual([uti]);
  });

  it("do not change when a stock event is delivered again", async () => {
    const before = await figures();
    const stored = (await readStream(stockMoved.subject)).filter((event) =>
      cabinets.includes(String(event.envelope.data["dispenserId"])),
    );
    expect(stored.length).toBe((await ledgerOf(pool, cabinets)).length);
    const again = stored.map((event) => stockMoved.parse(event.envelope));
    // Under new ids (JetStream would drop a repeated msgID): the same ledger rows twice.
    const replays = again.map((event) => stockMoved.build(event.data, { id: randomUUID() }));
    const nc = await connect({ servers: testStack().natsUrl });
    for (const event of replays) await jetstream(nc).publish(event.subject, JSON.stringify(event), { msgID: event.id });
    await nc.drain();
    await eventually(
      async () => {
        const { rows } = await pool.query(
          `SELECT 1 FROM reports.processed_events WHERE consumer = 'reports-stock-moved' AND event_id = ANY($1)`,
          [replays.map((event) => event.id)],
        );
        return rows.length === replays.length;
      },
      30_000,
      "the replayed stock events processed",
    );
    expect(await figures()).toEqual(before);
  });

  it("are the same after the read model is emptied and rebuilt from the stream", async () => {
    const before = await figures();
    await pool.query("DELETE FROM reports.stock_movement_facts");
    expect((await figures()).stockouts).toEqual([]);
    const logger = createLogger("reports-rebuild-test", "warn");
    const readModel = new pg.Pool({ connectionString: testStack().serviceDatabaseUrls.reports, max: 2 });
    const nats = await connectNats(testStack().natsUrl, "reports-rebuild-test", logger);
    try {
      const rebuilt = await rebuildReadModel({ pool: readModel, nats, logger, batchSize: 5 });
      expect(rebuilt.applied).toBeGreaterThanOrEqual((await ledgerOf(pool, cabinets)).length);
    } finally {
      await nats.drain();
      await readModel.end();
    }
    expect(await figures()).toEqual(before);
  });
});
