/**
 * The upgrade that starts the turnaround clock (migration 0005_sla_clock of the requests
 * schema): default SLA policies for every kind and priority, and the clock of every request
 * already in progress, due at its creation plus its current stage's window. Run on a database
 * at the step before holding requests of the old shape in every status.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase, stackRolePasswords, type EmptyDatabase } from "@asky/stack/testing";
import { bootstrapRoles } from "../src/index.js";
import { upgradeFrom } from "./support/upgrade-from.js";

const UPGRADE = "0005_sla_clock";
const created = "2026-03-01T10:00:00.000Z";
const byStatus: Record<string, string> = {};
const statuses = ["PENDING", "ACCEPTED", "PREPARING", "VERIFIED", "DISPATCHED", "DELIVERED", "REJECTED", "CANCELLED"];

describe("migration 0005_sla_clock", () => {
  let database: EmptyDatabase;
  let service: pg.Client;

  beforeAll(async () => {
    database = await emptyDatabase("asky_sla_clock");
    const serviceUrl = (await bootstrapRoles(database.adminUrl, stackRolePasswords())).requests;
    await upgradeFrom("requests", serviceUrl, UPGRADE, async (client) => {
      for (const status of statuses) {
        byStatus[status] = randomUUID();
        const closed = status === "REJECTED" || status === "CANCELLED";
        await client.query(
          `insert into requests.requests (id, kind, priority, status, requester_id, dispenser_id, ward, created_at, reason_code)
           values ($1, 'MEDICATION', 'STAT', $2, $3, $3, 'UTI-ADULTO', $4, $5)`,
          [byStatus[status], status, randomUUID(), created, closed ? "OTHER" : null],
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

  it("seeds a policy for every kind and priority, STAT medication by the literature", async () => {
    const { rows } = await service.query(
      `select kind::text, priority::text, accept_within_seconds, dispatch_within_seconds, deliver_within_seconds
       from requests.sla_policies order by kind, priority`,
    );
    expect(rows).toHaveLength(16);
    expect(rows.find((row) => row.kind === "MEDICATION" && row.priority === "STAT")).toMatchObject({
      accept_within_seconds: 300,
      dispatch_within_seconds: 900,
      deliver_within_seconds: 1800,
    });
  });

  it("starts the clock of requests in progress at their stage, and leaves closed ones without", async () => {
    const { rows } = await service.query<{ id: string; sla_stage: string | null; seconds: number | null }>(
      `select id, sla_stage, extract(epoch from sla_due_at - created_at)::float8 as seconds from requests.requests`,
    );
    const of = (status: string) => rows.find((row) => row.id === byStatus[status]);
    expect(of("PENDING")).toMatchObject({ sla_stage: "ACCEPT", seconds: 300 });
    for (const status of ["ACCEPTED", "PREPARING", "VERIFIED"]) {
      expect(of(status)).toMatchObject({ sla_stage: "DISPATCH", seconds: 900 });
    }
    expect(of("DISPATCHED")).toMatchObject({ sla_stage: "DELIVER", seconds: 1800 });
    for (const status of ["DELIVERED", "REJECTED", "CANCELLED"]) {
      expect(of(status)).toMatchObject({ sla_stage: null, seconds: null });
    }
  });

  it("refuses a stage without a due time and windows that shrink", async () => {
    await expect(
      service.query(`update requests.requests set sla_due_at = null where id = $1`, [byStatus.PENDING]),
    ).rejects.toMatchObject({ code: "23514" });
    await expect(
      service.query(
        `update requests.sla_policies set dispatch_within_seconds = 10 where kind = 'MEDICATION' and priority = 'STAT'`,
      ),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
