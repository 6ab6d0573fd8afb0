import { errors, isUniqueViolation } from "@asky/runtime";
import { isUuid } from "@asky/contracts";
import type { DispensersContext } from "../context.js";
import type { DispensersTx } from "../data/db.js";
import type { DispenserRow } from "../data/dispensers.js";
import {
  findDispenserByCode,
  insertDispenser,
  updateDispenserRow,
  type DispenserPatch,
} from "../data/dispenser-writes.js";
import { findWard, type WardRow } from "../data/wards.js";
import { newQrToken } from "../domain/qr-code.js";
import type { CreateDispenserInput, UpdateDispenserInput } from "../generated/resolvers-types.js";
import { validateDispenserChanges, validateNewDispenser } from "../validation/dispenser-input.js";
import { inTransaction } from "./unit-of-work.js";

const duplicateCode = (code: string) =>
  errors.conflict(`A dispenser with code ${code} already exists`, { field: "code" });

async function existingWard(tx: DispensersTx, code: string): Promise<WardRow> {
  const ward = await findWard(tx, code);
  if (!ward) throw errors.badUserInput(`Unknown ward ${code}`, { field: "ward" });
  return ward;
}

/** The pre-check gives a clear error; the constraint catches the race between two admins. */
async function guardCode<T>(code: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (code !== undefined && isUniqueViolation(error, "dispensers_code_key")) throw duplicateCode(code);
    throw error;
  }
}

export function createDispenser(context: DispensersContext, input: CreateDispenserInput): Promise<DispenserRow> {
  const values = validateNewDispenser(input);
  return inTransaction(context, async (tx, effects) => {
    const ward = await existingWard(tx, values.ward);
    if (await findDispenserByCode(tx, values.code)) throw duplicateCode(values.code);
    const row = await guardCode(values.code, () =>
      insertDispenser(tx, { ...values, floor: values.floor ?? ward.floor, qrToken: newQrToken() }),
    );
    effects.invalidate({ kind: "dispenser", id: row.id });
    return row;
  });
}

export function updateDispenser(
  context: DispensersContext,
  id: string,
  input: UpdateDispenserInput,
): Promise<DispenserRow> {
  const changes = validateDispenserChanges(input);
  if (!isUuid(id)) throw errors.notFound("Dispenser", id);
  return inTransaction(context, async (tx, effects) => {
    const patch: DispenserPatch = { ...changes };
    if (changes.ward !== undefined) {
      const ward = await existingWard(tx, changes.ward);
      // A cabinet moved to another ward is on that ward's floor unless told otherwise.
      patch.floor = changes.floor ?? ward.floor;
    }
    if (changes.code !== undefined) {
      const holder = await findDispenserByCode(tx, changes.code);
      if (holder && holder.id !== id) throw duplicateCode(changes.code);
    }
    const row = await guardCode(changes.code, () => updateDispenserRow(tx, id, patch));
    if (!row) throw errors.notFound("Dispenser", id);
    effects.invalidate({ kind: "dispenser", id });
    return row;
  });
}

/** A new token: labels printed with the old one resolve to null from the commit on. */
export function rotateDispenserQr(context: DispensersContext, id: string): Promise<DispenserRow> {
  if (!isUuid(id)) throw errors.notFound("Dispenser", id);
  return inTransaction(context, async (tx, effects) => {
    const row = await updateDispenserRow(tx, id, { qrToken: newQrToken() });
    if (!row) throw errors.notFound("Dispenser", id);
    effects.invalidate({ kind: "dispenser", id });
    return row;
  });
}
