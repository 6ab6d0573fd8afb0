/**
 * The upgrade that gives requests the chain of custody of controlled substances (migration
 * 0004_controlled_custody of the requests schema): status VERIFIED between PREPARING and
 * DISPATCHED (added to the enum in the migrations' one transaction, where Postgres refuses to
 * use a new value: nothing in it does), each line's frozen control flag, witnesses on history
 * and their single-use table, and the backorder link. Run on a database at the step before,
 * holding lines of the old shape: a material line is known not to be controlled; a medication
 * line's flag stays unknown (NULL), for the service to resolve from the catalog.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase, stackRolePasswords, type EmptyDatabase } from "@asky/stack/testing";
import { bootstrapRoles } from "../src/index.js";
import { upgradeFrom } from "./support/upgrade-from.js";

const UPGRADE = "0004_controlled_custody";
const requestId = randomUUID();
const medication = randomUUID();
const material = randomUUID();

describe("migration 0004_controlled_custody", () => {
  let database: EmptyDatabase;
  let service: pg.Client;

  beforeAll(async () => {
    database = await emptyDatabase("asky_custody");
    const serviceUrl = (await bootstrapRoles(database.adminUrl, stackRolePasswords())).requests;
    await upgradeFrom("requests", serviceUrl, UPGRADE, async (client) => {
      await client.query(
        `insert into requests.requests (id, kind, status, requester_id, dispenser_id, ward)
         values ($1, 'RESTOCK', 'PREPARING', $2, $2, 'UTI-ADULTO')`,
        [requestId, randomUUID()],
      );
      for (const [itemId, kind] of [
        [medication, "MEDICATION"],
        [material, "MATERIAL"],
      ]) {
        await client.query(
          `insert into requests.request_items (request_id, item_id, item_kind, quantity, unit_cost)
           values ($1, $2, $3, 4, 2.5)`,
          [requestId, itemId, kind],
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

  it("knows old material lines are not controlled and leaves medication lines unknown", async () => {
    const { rows } = await service.query<{ item_id: string; controlled: boolean | null; control_list: string | null }>(
      `select item_id, controlled, control_list from requests.request_items where request_id = $1`,
      [requestId],
    );
    const byItem = Object.fromEntries(rows.map((row) => [row.item_id, [row.controlled, row.control_list]]));
    expect(byItem).toEqual({ [medication]: [null, null], [material]: [false, null] });
  });

  it("puts VERIFIED between PREPARING and DISPATCHED, usable once committed", async () => {
    const { rows } = await service.query<{ values: string[] }>(
      `select enum_range(null::requests.request_status)::text[] as values`,
    );
    expect(rows[0]!.values).toEqual([
      "PENDING",
      "ACCEPTED",
      "PREPARING",
      "VERIFIED",
      "DISPATCHED",
      "DELIVERED",
      "REJECTED",
      "CANCELLED",
    ]);
    await service.query(`update requests.requests set status = 'VERIFIED' where id = $1`, [requestId]);
    await service.query(
      `insert into requests.request_history (request_id, from_status, to_status, actor_id) values ($1, 'PREPARING', 'VERIFIED', $2)`,
      [requestId, randomUUID()],
    );
  });

  it("keeps a line's flag and list in agreement", async () => {
    const set = (controlled: boolean | null, list: string | null) =>
      service.query(
        `update requests.request_items set controlled = $2, control_list = $3 where request_id = $1 and item_id = $4`,
        [requestId, controlled, list, medication],
      );
    await set(true, "A1");
    await set(false, null);
    // 23514: a list on an uncontrolled or unknown line, a controlled line without one, a list that is none.
    await expect(set(false, "A1")).rejects.toMatchObject({ code: "23514" });
    await expect(set(null, "B1")).rejects.toMatchObject({ code: "23514" });
    await expect(set(true, null)).rejects.toMatchObject({ code: "23514" });
    await expect(set(true, "Z9")).rejects.toMatchObject({ code: "23514" });
  });

  it("never records the actor as the witness, and spends a witness token once", async () => {
    const actor = randomUUID();
    const history = (witness: string) =>
      service.query(
        `insert into requests.request_history (request_id, from_status, to_status, actor_id, witness_id)
         values ($1, 'VERIFIED', 'DISPATCHED', $2, $3)`,
        [requestId, actor, witness],
      );
    await expect(history(actor)).rejects.toMatchObject({ code: "23514" });
    await history(randomUUID());
    const use = (jti: string) =>
      service.query(
        `insert into requests.witness_uses (jti, step, witness_id, actor_id, expires_at) values ($1, 'DISPATCH', $2, $3, now())`,
        [jti, randomUUID(), actor],
      );
    const jti = randomUUID();
    await use(jti);
    await expect(use(jti)).rejects.toMatchObject({ code: "23505" });
  });

  it("lets a request have one backorder at most, never itself", async () => {
    const backorder = (id: string) =>
      service.query(
        `insert into requests.requests (id, kind, requester_id, dispenser_id, ward, backorder_of)
         values ($1, 'RESTOCK', $2, $2, 'UTI-ADULTO', $3)`,
        [id, randomUUID(), requestId],
      );
    await backorder(randomUUID());
    await expect(backorder(randomUUID())).rejects.toMatchObject({ code: "23505" });
    const self = randomUUID();
    await expect(
      service.query(
        `insert into requests.requests (id, kind, requester_id, dispenser_id, ward, backorder_of)
         values ($1, 'RESTOCK', $2, $2, 'UTI-ADULTO', $1)`,
        [self, randomUUID()],
      ),
    ).rejects.toMatchObject({ code: "23514" });
  });
});
