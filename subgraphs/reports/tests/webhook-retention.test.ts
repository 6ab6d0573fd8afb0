/**
 * The delivery log's purge: finished deliveries older than the retention go with their
 * attempts; pending ones, and recent ones, stay.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import * as tables from "@asky/db/schema/reports";
import { purgeFinishedDeliveries } from "../src/data/webhook-deliveries.js";
import { DELIVERY_RETENTION_DAYS } from "../src/jobs/webhook-retention.js";
import { adminPool } from "./support.js";
import { secret } from "./webhook-support.js";

let admin: pg.Pool;
let service: pg.Pool;

beforeAll(() => {
  admin = adminPool();
  // The purge runs as the service's own role, as the job does.
  service = new pg.Pool({ connectionString: inject("serviceDatabaseUrls").reports, max: 1 });
});

afterAll(async () => {
  await Promise.all([admin.end(), service.end()]);
});

describe("webhook delivery retention", () => {
  it("purges finished deliveries past the retention, with their attempts, and nothing else", async () => {
    const { rows } = await admin.query<{ id: string }>(
      `INSERT INTO reports.webhooks (url, events, secret, active, created_by)
       VALUES ('http://127.0.0.1:9/old', '{STOCK_LOW}', $1, false, gen_random_uuid()) RETURNING id`,
      [secret],
    );
    const webhookId = rows[0]!.id;
    const old = `now() - interval '${DELIVERY_RETENTION_DAYS + 1} days'`;
    const { rows: deliveries } = await admin.query<{ id: string; status: string; old: boolean }>(
      `INSERT INTO reports.webhook_deliveries (webhook_id, event_id, event_type, body, status, attempts, created_at)
       VALUES ($1, gen_random_uuid(), 'STOCK_LOW', '{}', 'DELIVERED', 1, ${old}),
              ($1, gen_random_uuid(), 'STOCK_LOW', '{}', 'FAILED', 1, ${old}),
              ($1, gen_random_uuid(), 'STOCK_LOW', '{}', 'PENDING', 1, ${old}),
              ($1, gen_random_uuid(), 'STOCK_LOW', '{}', 'DELIVERED', 1, now())
       RETURNING id, status, created_at < now() - interval '1 day' AS old`,
      [webhookId],
    );
    await admin.query(
      `INSERT INTO reports.webhook_attempts (delivery_id, attempt, status_code, duration_ms)
       SELECT id, 1, 500, 3 FROM reports.webhook_deliveries WHERE webhook_id = $1`,
      [webhookId],
    );
    try {
      const db = drizzle(service, { schema: tables });
      expect(await purgeFinishedDeliveries(db, DELIVERY_RETENTION_DAYS)).toBeGreaterThanOrEqual(2);
      const kept = await admin.query<{ id: string }>(
        `SELECT d.id FROM reports.webhook_deliveries d WHERE d.webhook_id = $1 ORDER BY d.id`,
        [webhookId],
      );
      const expected = deliveries.filter((d) => d.status === "PENDING" || !d.old).map((d) => d.id);
      expect(kept.rows.map((row) => row.id)).toEqual(expected.sort());
      const attempts = await admin.query<{ delivery_id: string }>(
        `SELECT delivery_id FROM reports.webhook_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id`,
        [deliveries.map((d) => d.id)],
      );
      expect(attempts.rows.map((row) => row.delivery_id)).toEqual(expected.sort());
    } finally {
      await admin.query(`DELETE FROM reports.webhooks WHERE id = $1`, [webhookId]);
    }
  });
});
