/**
 * The upgrade that gives request lines a status, dispatched and received quantities and lots
 * (migration 0003_line_fulfilment of the requests schema), run on a database migrated to the
 * step before and holding requests of the old all-or-nothing shape: lines of a delivered
 * request went out and arrived whole, those of a dispatched one went out whole, the rest are
 * open. Afterwards the history takes PICK_RECORDED entries that keep the status, and only those.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase, stackRolePasswords, type EmptyDatabase } from "@asky/stack/testing";
import { bootstrapRoles } from "../src/index.js";
import { upgradeFrom } from "./support/upgrade-from.js";

const UPGRADE = "0003_line_fulfilment";
const legacy = ["PENDING", "PREPARING", "DISPATCHED", "DELIVERED"] as const;
const ids = Object.fromEntries(legacy.map((status) => [status, randomUUID()])) as Record<string, string>;

describe("migration 0003_line_fulfilment", () => {
  let database: EmptyDatabase;
  let serviceUrl: string;
  let service: pg.Client;

  beforeAll(async () => {
    database = await emptyDatabase("asky_lines");
    serviceUrl = (await bootstrapRoles(database.adminUrl, stackRolePasswords())).requests;
    // Rows of the old shape at the step before, then the real upgrade, as a starting service runs it.
    await upgradeFrom("requests", serviceUrl, UPGRADE, async (client) => {
      for (const status of legacy) {
        await client.query(
          `insert into requests.requests (id, kind, status, requester_id, dispenser_id, ward)
         values ($1, 'MEDICATION', $2, $3, $3, 'UTI-ADULTO')`,
          [ids[status], status, randomUUID()],
        );
        await client.query(
          `insert into requests.request_items (request_id, item_id, item_kind, quantity, unit_cost)
         values ($1, $2, 'MEDICATION', 7, 1.5)`,
          [ids[status], randomUUID()],
        );
      }
    });
    service = new pg.Client({ connectionString: serviceUrl });
    await service.connect();
  });

  afterAll(async () => {
    await service?.end();
    await database?.drop();
  });

  it("backfills each line by its request's status", async () => {
    const { rows } = await service.query<{ request_id: string; line: unknown[] }>(
      `select request_id, json_build_array(status, quantity_dispatched, quantity_received) as line
         from requests.request_items`,
    );
    const byStatus = Object.fromEntries(
      legacy.map((status) => [status, rows.find((row) => row.request_id === ids[status])!.line]),
    );
    expect(byStatus).toEqual({
      PENDING: ["OPEN", null, null],
      PREPARING: ["OPEN", null, null],
      DISPATCHED: ["PICKED", 7, null],
      DELIVERED: ["DELIVERED", 7, 7],
    });
  });

  it("keeps old history entries STATUS_CHANGED and lets only a pick keep the status", async () => {
    const entry = (from: string, to: string, event: string) =>
      service.query(
        `insert into requests.request_history (request_id, from_status, to_status, actor_id, event)
         values ($1, $2, $3, $4, $5)`,
        [ids.PREPARING, from, to, randomUUID(), event],
      );
    await entry("PREPARING", "PREPARING", "PICK_RECORDED");
    // 23514: a status change to the same status, a pick that moves the request, an unknown event.
    await expect(entry("PREPARING", "PREPARING", "STATUS_CHANGED")).rejects.toMatchObject({ code: "23514" });
    await expect(entry("PREPARING", "DISPATCHED", "PICK_RECORDED")).rejects.toMatchObject({ code: "23514" });
    await expect(entry("PREPARING", "DISPATCHED", "COFFEE")).rejects.toMatchObject({ code: "23514" });
  });

  it("refuses a SUBSTITUTED line without its substitute, and dispatching more than requested", async () => {
    await expect(
      service.query(`update requests.request_items set status = 'SUBSTITUTED' where request_id = $1`, [ids.PENDING]),
    ).rejects.toMatchObject({ code: "23514" });
    await expect(
      service.query(`update requests.request_items set quantity_dispatched = 8 where request_id = $1`, [ids.PENDING]),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
