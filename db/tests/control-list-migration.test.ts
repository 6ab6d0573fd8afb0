/**
 * The upgrade that gives every controlled medication its Portaria 344/98 list (migration
 * 0002_control_list of the dispensers schema), run on a database migrated to the step before
 * and holding catalog rows of the old shape: the lists come from the active ingredient, an
 * unknown controlled substance stays controlled on C1, and afterwards `controlled` is derived
 * from the list and cannot be written.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyDatabase, stackRolePasswords, type EmptyDatabase } from "@asky/stack/testing";
import { bootstrapRoles } from "../src/index.js";
import { upgradeFrom } from "./support/upgrade-from.js";

const UPGRADE = "0002_control_list";

/** Old-shape rows: [code, kind, active ingredient, controlled]. */
const legacyRows: [string, "MEDICATION" | "MATERIAL", string | null, boolean][] = [
  ["MED-MORFINA", "MEDICATION", "Sulfato de morfina", true],
  ["MED-REMIFENTANILA", "MEDICATION", "Cloridrato de remifentanila", true],
  ["MED-CODEINA", "MEDICATION", "FOSFATO DE CODEÍNA", true],
  ["MED-TRAMADOL", "MEDICATION", "Cloridrato de tramadol", true],
  ["MED-MIDAZOLAM", "MEDICATION", "Cloridrato de midazolam", true],
  ["MED-FENOBARBITAL", "MEDICATION", "Fenobarbital sódico", true],
  ["MED-FENITOINA", "MEDICATION", "Fenitoína sódica", true],
  ["MED-HALOPERIDOL", "MEDICATION", "Haloperidol", true],
  ["MED-DESCONHECIDO", "MEDICATION", "Substância ainda não classificada", true],
  ["MED-DIPIRONA", "MEDICATION", "Dipirona sódica", false],
  ["MED-NALOXONA", "MEDICATION", "Cloridrato de naloxona", false],
  ["MAT-GAZE", "MATERIAL", null, false],
];

describe("migration 0002_control_list", () => {
  let database: EmptyDatabase;
  let serviceUrl: string;
  let admin: pg.Client;

  beforeAll(async () => {
    database = await emptyDatabase("asky_ctrl");
    serviceUrl = (await bootstrapRoles(database.adminUrl, stackRolePasswords())).dispensers;
    // Rows of the old shape at the step before, then the real upgrade, as a starting service runs it.
    await upgradeFrom("dispensers", serviceUrl, UPGRADE, async (client) => {
      for (const [code, kind, ingredient, controlled] of legacyRows) {
        await client.query(
          `insert into dispensers.catalog_items
           (code, kind, name, search_text, unit, unit_cost, active_ingredient, strength, dosage_form, controlled)
         values ($1, $2, $1, lower($1), 'un', 1, $3, $4, $4, $5)`,
          [code, kind, ingredient, kind === "MEDICATION" ? "1 mg" : null, controlled],
        );
      }
    });
    admin = new pg.Client({ connectionString: database.adminUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  it("gives controlled rows their list by active ingredient, C1 when unknown, and leaves the rest alone", async () => {
    const { rows } = await admin.query<{ code: string; control_list: string | null; controlled: boolean }>(
      "select code, control_list, controlled from dispensers.catalog_items order by code",
    );
    expect(Object.fromEntries(rows.map((row) => [row.code, [row.control_list, row.controlled]]))).toEqual({
      "MED-MORFINA": ["A1", true],
      "MED-REMIFENTANILA": ["A1", true],
      "MED-CODEINA": ["A2", true],
      "MED-TRAMADOL": ["A2", true],
      "MED-MIDAZOLAM": ["B1", true],
      "MED-FENOBARBITAL": ["B1", true],
      "MED-FENITOINA": ["C1", true],
      "MED-HALOPERIDOL": ["C1", true],
      "MED-DESCONHECIDO": ["C1", true],
      "MED-DIPIRONA": [null, false],
      "MED-NALOXONA": [null, false],
      "MAT-GAZE": [null, false],
    });
  });

  it("derives controlled from the list from then on and refuses to write it", async () => {
    const service = new pg.Client({ connectionString: serviceUrl });
    await service.connect();
    try {
      await service.query("update dispensers.catalog_items set control_list = null where code = 'MED-MORFINA'");
      await service.query("update dispensers.catalog_items set control_list = 'B1' where code = 'MED-DIPIRONA'");
      const { rows } = await service.query<{ code: string; controlled: boolean }>(
        "select code, controlled from dispensers.catalog_items where code in ('MED-MORFINA', 'MED-DIPIRONA') order by code",
      );
      expect(rows).toEqual([
        { code: "MED-DIPIRONA", controlled: true },
        { code: "MED-MORFINA", controlled: false },
      ]);
      // 428C9 (generated_always): the flag is never written, so it cannot disagree with the list.
      await expect(
        service.query("update dispensers.catalog_items set controlled = true where code = 'MED-NALOXONA'"),
      ).rejects.toMatchObject({ code: "428C9" });
      // 23514: a material is never on a list.
      await expect(
        service.query("update dispensers.catalog_items set control_list = 'A1' where code = 'MAT-GAZE'"),
      ).rejects.toMatchObject({ code: "23514" });
      // 22P02: only the Portaria's lists exist.
      await expect(
        service.query("update dispensers.catalog_items set control_list = 'D1' where code = 'MED-NALOXONA'"),
      ).rejects.toMatchObject({ code: "22P02" });
    } finally {
      await service.end();
    }
  });
});
