/**
 * The upgrade that adds closed periods to the controlled substances book (migration
 * 0004_closed_book_periods of the dispensers schema), run on a database migrated to the step
 * before and holding a ledger of the old shape: every old row gets its sequence number in the
 * order it was written, and from then on the database itself refuses a ledger write, edit or
 * deletion of a controlled item in a closed month, and a change of list that would rewrite one,
 * while leaving other months, other lists and uncontrolled items alone.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase, stackRolePasswords, type EmptyDatabase } from "@asky/stack/testing";
import { bootstrapRoles } from "../src/index.js";
import { upgradeFrom } from "./support/upgrade-from.js";

const UPGRADE = "0004_closed_book_periods";
const OCTOBER = "2026-10-15T12:00:00Z";
const NOVEMBER = "2026-11-10T12:00:00Z";

describe("migration 0004_closed_book_periods", () => {
  let database: EmptyDatabase;
  let serviceUrl: string;
  let service: pg.Client;
  const ids: Record<"morphine" | "saline" | "morphineLevel" | "salineLevel", string> = {
    morphine: "",
    saline: "",
    morphineLevel: "",
    salineLevel: "",
  };

  beforeAll(async () => {
    database = await emptyDatabase("asky_book");
    serviceUrl = (await bootstrapRoles(database.adminUrl, stackRolePasswords())).dispensers;
    await upgradeFrom("dispensers", serviceUrl, UPGRADE, async (client) => {
      await client.query("insert into dispensers.wards (code, name, floor) values ('UTI', 'UTI', '3')");
      const dispenser = await client.query<{ id: string }>(
        `insert into dispensers.dispensers (code, name, ward, floor, location, qr_token)
         values ('PYX-1', 'Pyxis', 'UTI', '3', 'Sala', repeat('q', 32)) returning id`,
      );
      for (const [key, code, list] of [
        ["morphine", "MED-MORFINA", "A1"],
        ["saline", "MED-SORO", null],
      ] as const) {
        const item = await client.query<{ id: string }>(
          `insert into dispensers.catalog_items
             (code, kind, name, search_text, unit, unit_cost, active_ingredient, strength, dosage_form, control_list)
           values ($1, 'MEDICATION', $1, lower($1), 'un', 1, $1, '1 mg', 'amp', $2) returning id`,
          [code, list],
        );
        ids[key] = item.rows[0]!.id;
        const level = await client.query<{ id: string }>(
          `insert into dispensers.stock_levels (dispenser_id, item_id, quantity, par_level, min_level)
           values ($1, $2, 7, 10, 2) returning id`,
          [dispenser.rows[0]!.id, item.rows[0]!.id],
        );
        ids[key === "morphine" ? "morphineLevel" : "salineLevel"] = level.rows[0]!.id;
        // Written in this order: +10 in October, then -3 in November, the second at the same time as a third.
        for (const [at, delta, before] of [
          [OCTOBER, 10, 0],
          [NOVEMBER, -2, 10],
          [NOVEMBER, -1, 8],
        ] as const) {
          await client.query(
            `insert into dispensers.stock_movements (stock_level_id, at, reason, delta, quantity_before, quantity_after)
             values ($1, $2, $3, $4, $5, $6)`,
            [level.rows[0]!.id, at, delta > 0 ? "RESTOCK" : "DISPENSED", delta, before, before + delta],
          );
        }
      }
    });
    service = new pg.Client({ connectionString: serviceUrl });
    await service.connect();
  });

  afterAll(async () => {
    await service?.end();
    await database?.drop();
  });

  it("numbers the old ledger in the order it was written", async () => {
    const { rows } = await service.query<{ seq: string; delta: number }>(
      "select seq, delta from dispensers.stock_movements where stock_level_id = $1 order by seq",
      [ids.morphineLevel],
    );
    expect(rows.map((row) => row.delta)).toEqual([10, -2, -1]);
    expect(new Set(rows.map((row) => row.seq)).size).toBe(3);
  });

  it("refuses, in the database, any ledger change of the list in or before a closed month and nothing else", async () => {
    await service.query(
      `insert into dispensers.controlled_book_closures (control_list, month, starts_at, ends_at, closed_by)
       values ('A1', '2026-10', '2026-10-01T03:00:00Z', '2026-11-01T03:00:00Z', gen_random_uuid())`,
    );
    const insert = (level: string, at: string) =>
      service.query(
        `insert into dispensers.stock_movements (stock_level_id, at, reason, delta, quantity_before, quantity_after)
         values ($1, $2, 'OTHER', 1, 7, 8)`,
        [level, at],
      );
    await expect(insert(ids.morphineLevel, "2026-10-20T12:00:00Z")).rejects.toMatchObject({
      code: "AS344",
      detail: "A1 2026-10",
    });
    // The month's last instant in São Paulo is in it; its next midnight is not.
    await expect(insert(ids.morphineLevel, "2026-11-01T02:59:59Z")).rejects.toMatchObject({ code: "AS344" });
    await expect(
      service.query("update dispensers.stock_movements set note = 'x' where stock_level_id = $1 and at = $2", [
        ids.morphineLevel,
        OCTOBER,
      ]),
    ).rejects.toMatchObject({ code: "AS344" });
    await expect(
      service.query("delete from dispensers.stock_movements where stock_level_id = $1 and at = $2", [
        ids.morphineLevel,
        OCTOBER,
      ]),
    ).rejects.toMatchObject({ code: "AS344" });
    // Before a closed month is frozen too: the month after opens with the closure's balances.
    await expect(insert(ids.morphineLevel, "2026-09-20T12:00:00Z")).rejects.toMatchObject({
      code: "AS344",
      detail: "A1 2026-10",
    });
    // Another month, and an uncontrolled item in the closed month, are written as before.
    await insert(ids.morphineLevel, "2026-11-01T03:00:00Z");
    await insert(ids.salineLevel, "2026-10-20T12:00:00Z");
    const { rows } = await service.query<{ n: number }>(
      "select count(*)::int as n from dispensers.stock_movements where stock_level_id = $1",
      [ids.morphineLevel],
    );
    expect(rows[0]!.n).toBe(4);
  });

  it("refuses moving an item with entries up to a closed month off its list, or onto a closed list", async () => {
    await expect(
      service.query("update dispensers.catalog_items set control_list = 'B1' where id = $1", [ids.morphine]),
    ).rejects.toMatchObject({ code: "AS344" });
    await expect(
      service.query("update dispensers.catalog_items set control_list = 'A1' where id = $1", [ids.saline]),
    ).rejects.toMatchObject({ code: "AS344" });
    // Other changes of the item are not guarded.
    await service.query("update dispensers.catalog_items set name = 'Morfina 10 mg' where id = $1", [ids.morphine]);
    await service.query("update dispensers.catalog_items set control_list = 'B1' where id = $1", [ids.saline]);
  });
});
