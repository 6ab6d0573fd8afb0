/**
 * Witnessed losses of controlled medications (issue 16), through the real gateway: a
 * controlled item stocked in a fresh cabinet, witness tokens asked of a second pharmacist the
 * way a client asks them, forged ones signed with the users service's development key (for
 * what that service never issues), and looks at the ledger and the consumed tokens.
 */
import { expect } from "vitest";
import { loadSigningKeys, privateKeyFile, signWitnessToken } from "@asky/auth";
import type { Viewer, WitnessedStep } from "@asky/contracts";
import { asGateway, demoViewer, testStack, type FreshUser } from "@asky/stack/testing";
import { adminPool, unique } from "./support.js";
import { adjustStock, freshCabinet, inDays, type Level } from "./stock-fixtures.js";

export const pharmacist = asGateway("pharmacist@asky.dev");
export const actor: Viewer = demoViewer("pharmacist@asky.dev");
export const pool = adminPool();

export interface Slot {
  dispenserId: string;
  itemId: string;
  levelId: string;
}

const CREATE_MEDICATION = `mutation($input: CreateMedicationInput!) { createMedication(input: $input) { id } }`;

/** A fresh cabinet holding 10 units of a fresh medication, on list A1 unless `controlList` is null. */
export async function stockedSlot(controlList: string | null = "A1"): Promise<Slot> {
  const code = unique("MED-TESTEMUNHA");
  const [cabinet, medication] = await Promise.all([
    freshCabinet(),
    pharmacist.ok<{ createMedication: { id: string } }>(CREATE_MEDICATION, {
      input: {
        code,
        name: `Morfina teste ${code}`,
        unit: "ampola",
        unitCost: 3.5,
        activeIngredient: "Morfina",
        strength: "10 mg/mL",
        dosageForm: "solução injetável",
        controlList,
      },
    }),
  ]);
  const dispenserId = cabinet.id;
  const itemId = medication.createMedication.id;
  const input = { dispenserId, itemId, delta: 10, reason: "RESTOCK", lotNumber: "L-1", expiresAt: inDays(200) };
  const { adjustStock: level } = await pharmacist.ok<{ adjustStock: Level }>(adjustStock, { input });
  return { dispenserId, itemId, levelId: level.id };
}

const ISSUE_WITNESS = `mutation($input: IssueWitnessTokenInput!) { issueWitnessToken(input: $input) { token } }`;

/** `witness` confirms, at the demo pharmacist's device, `step` of `binding`. */
export async function witnessToken(
  witness: Pick<FreshUser, "email" | "password">,
  binding: { dispenserId?: string; itemId?: string; requestId?: string },
  step: WitnessedStep = "STOCK_LOSS",
): Promise<string> {
  const { dispenserId, itemId, requestId } = binding;
  const input = { email: witness.email, password: witness.password, transition: step, dispenserId, itemId, requestId };
  const { issueWitnessToken } = await pharmacist.ok<{ issueWitnessToken: { token: string } }>(ISSUE_WITNESS, { input });
  return issueWitnessToken.token;
}

/** A token the users service would never issue, signed with its key: `witness` may be the actor. */
export async function forgedToken(witness: Viewer, slot: Slot, options: { nowMs?: number } = {}): Promise<string> {
  const file = privateKeyFile(testStack().keysDir, "users");
  const [key] = await loadSigningKeys({ owner: "users", jwks: file, keysDir: undefined, production: true });
  const subject = { step: "STOCK_LOSS", dispenserId: slot.dispenserId, itemId: slot.itemId } as const;
  return (await signWitnessToken(key, { witness, actorId: actor.id, subject }, options)).token;
}

/** The ledger of a level, oldest first, and its quantity now. */
export async function stateOf(slot: Slot) {
  const { rows } = await pool.query<{ reason: string; delta: number; actor: string; witness: string | null }>(
    `select reason, delta, actor_id as actor, witness_id as witness from dispensers.stock_movements
      where stock_level_id = $1 order by at, quantity_before desc`,
    [slot.levelId],
  );
  const quantity = await pool.query<{ quantity: number }>(
    "select quantity from dispensers.stock_levels where id = $1",
    [slot.levelId],
  );
  return { quantity: quantity.rows[0]?.quantity, ledger: rows };
}

/** The consumed witness tokens of a witness. */
export async function usesOf(witnessId: string) {
  const { rows } = await pool.query<{ step: string; actor: string }>(
    "select step, actor_id as actor from dispensers.witness_uses where witness_id = $1",
    [witnessId],
  );
  return rows;
}

/** A refusal's code, reason and field, to compare whole. */
export function refusal(body: { errors?: { extensions?: Record<string, unknown> }[] }) {
  expect(body.errors, "a refusal").toBeDefined();
  const { code, reason, field } = body.errors?.[0]?.extensions ?? {};
  return { code, reason, field };
}
