/**
 * The read model holds nothing the stream does not: emptied and replayed, by the documented
 * command or beside the live consumers while new requests come in, it gives the figures the
 * requests database gives.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "@asky/events";
import { createLogger } from "@asky/runtime";
import { asGateway, testStack } from "@asky/stack/testing";
import { rebuildReadModel } from "../src/services/rebuild-read-model.js";
import { figuresOf } from "./report-queries.js";
import { adminPool, expectedConsumption, expectedFillRate, readModelCaughtUp, walkADay } from "./support.js";

const run = promisify(execFile);
const pharmacist = asGateway("pharmacist@asky.dev");
let pool: pg.Pool;
let from: Date;
let to: Date;
let requestIds: string[];
const figures = () => figuresOf(pharmacist, from, to);

beforeAll(async () => {
  pool = adminPool();
  // The database's clock: the one requests are stamped with.
  from = (await pool.query<{ now: Date }>("SELECT now() - interval '1 millisecond' AS now")).rows[0]!.now;
  requestIds = await walkADay();
  to = new Date(Date.now() + 3_600_000);
  await readModelCaughtUp(pool, from);
}, 120_000);

afterAll(async () => {
  await pool.end();
});

describe("rebuilding the reports read model", () => {
  it("are the same after the read model is emptied and rebuilt from the stream", async () => {
    const before = await figures();
    await pool.query("DELETE FROM reports.request_line_facts");
    await pool.query("DELETE FROM reports.request_facts");
    expect((await figures()).fillRate).toEqual([]);
    // The documented command, as an operator runs it, with the service's own role.
    const { stdout } = await run("npm", ["run", "reports:rebuild", "-w", "@asky/reports"], {
      cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      env: {
        ...process.env,
        DATABASE_URL: testStack().serviceDatabaseUrls.reports,
        NATS_URL: testStack().natsUrl,
        LOG_LEVEL: "warn",
      },
    });
    const applied = /rebuilt: (\d+) events applied/.exec(stdout);
    expect(Number(applied?.[1])).toBeGreaterThanOrEqual(requestIds.length);
    expect(await figures()).toEqual(before);
  });

  it("are the same after a rebuild that runs beside the live consumers and new events", async () => {
    const before = await figures();
    const logger = createLogger("reports-rebuild-test", "warn");
    const readModel = new pg.Pool({ connectionString: testStack().serviceDatabaseUrls.reports, max: 2 });
    const nats = await connectNats(testStack().natsUrl, "reports-rebuild-test", logger);
    try {
      // A new day of requests goes on while the read model is emptied and replayed.
      const [rebuilt, more] = await Promise.all([
        rebuildReadModel({ pool: readModel, nats, logger, batchSize: 7 }),
        walkADay(),
      ]);
      expect(rebuilt.applied).toBeGreaterThan(0);
      requestIds.push(...more);
    } finally {
      await nats.drain();
      await readModel.end();
    }
    await readModelCaughtUp(pool, from);
    const after = await figures();
    expect(after).not.toEqual(before);
    const fills = await expectedFillRate(pool, from, to);
    expect(after.fillRate.map((row) => [row.group.ward, row.linesRequested, row.linesFilled])).toEqual(
      fills.map((row) => [row.ward, row.requested, row.filled]),
    );
    const consumed = await expectedConsumption(pool, from, to);
    expect(after.consumption.map((row) => [row.group.ward, row.group.itemId, row.quantity, row.cost])).toEqual(
      consumed.map((row) => [row.ward, row.item_id, row.quantity, row.cost]),
    );
  });
});
