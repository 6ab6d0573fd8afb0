/**
 * Exactly once without the lease: the turnaround clock's marks are conditional updates, so
 * passes racing over the same due requests (a lease holder that lost its connection without
 * noticing, and the replica that took over) write one warning and one breach per request
 * between them, and a request that moves on to its next stage meanwhile is judged by its new
 * clock. Runs the clock's pass itself, several at once, on the stack's database.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { afterAll, describe, expect, it } from "vitest";
import * as tables from "@asky/db/schema/requests";
import { markDueSlas } from "../src/services/sla-marks.js";
import { admin, adminPool, change, create, dipirona, newCabinet, pharmacist } from "./support.js";

const pool = adminPool();
const db = drizzle(pool, { schema: tables });
afterAll(() => pool.end());

async function slaSubjects(requestId: string): Promise<string[]> {
  const { rows } = await pool.query<{ subject: string }>(
    `select subject from requests.outbox where payload->'data'->>'requestId' = $1 and subject like 'asky.requests.sla_%'
     order by created_at, subject desc`,
    [requestId],
  );
  return rows.map((row) => row.subject);
}

describe("the turnaround clock's marks", () => {
  it("write one warning and one breach per request however many passes race", async () => {
    const cabinet = await newCabinet("CLINICA-CIRURGICA");
    const made = await Promise.all(
      Array.from({ length: 5 }, () =>
        create(pharmacist, {
          kind: "MEDICATION",
          priority: "URGENT",
          dispenserId: cabinet,
          items: [{ itemId: dipirona, quantity: 1 }],
        }),
      ),
    );
    const ids = made.map((request) => request.id);
    // Due a minute ago: warning and breach both due, for every pass at once.
    await pool.query(`update requests.requests set sla_due_at = now() - interval '1 minute' where id = any($1)`, [ids]);
    await Promise.all(Array.from({ length: 6 }, () => markDueSlas(db, 0.8)));
    for (const id of ids) {
      expect(await slaSubjects(id), id).toEqual(["asky.requests.sla_warning", "asky.requests.sla_breached"]);
    }
    await Promise.all(Array.from({ length: 3 }, () => markDueSlas(db, 0.8)));
    for (const id of ids) expect(await slaSubjects(id)).toHaveLength(2);
  });

  it("judge a request by its new stage once it moved on, and not at all once closed", async () => {
    const cabinet = await newCabinet("CLINICA-CIRURGICA");
    const request = await create(pharmacist, {
      kind: "MEDICATION",
      priority: "URGENT",
      dispenserId: cabinet,
      items: [{ itemId: dipirona, quantity: 1 }],
    });
    await pool.query(`update requests.requests set sla_due_at = now() - interval '1 minute' where id = $1`, [
      request.id,
    ]);
    await markDueSlas(db, 0.8);
    expect(await slaSubjects(request.id)).toHaveLength(2);
    // Accepted: a new stage, its own clock (an hour from creation for URGENT), nothing due.
    const accepted = await change(pharmacist, { requestId: request.id, status: "ACCEPTED", expectedVersion: 1 });
    const { rows } = await pool.query(
      `select sla_stage, sla_warned_at, sla_breached_at from requests.requests where id = $1`,
      [request.id],
    );
    expect(rows[0]).toEqual({ sla_stage: "DISPATCH", sla_warned_at: null, sla_breached_at: null });
    await markDueSlas(db, 0.8);
    expect(await slaSubjects(request.id)).toHaveLength(2);
    await change(admin, {
      requestId: request.id,
      status: "CANCELLED",
      expectedVersion: accepted.version,
      reasonCode: "DUPLICATE_REQUEST",
    });
    // Closed: whatever its times say, there is no clock to judge.
    await pool.query(`update requests.requests set created_at = now() - interval '1 day' where id = $1`, [request.id]);
    await markDueSlas(db, 0.8);
    expect(await slaSubjects(request.id)).toHaveLength(2);
  });
});
