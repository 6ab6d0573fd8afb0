import { WitnessTokenError, type VerifiedWitness, type WitnessExpectation } from "@asky/auth";
import { recordWitnessUse } from "@asky/db/record-witness-use";
import { witnessUses } from "@asky/db/schema/dispensers";
import { errors } from "@asky/runtime";
import type { DispensersContext } from "../context.js";
import type { CatalogItemRow } from "../data/catalog.js";
import type { DispensersTx } from "../data/db.js";
import { isLoss, needsWitness } from "../domain/witnessed-loss.js";
import type { StockAdjustment } from "../validation/stock-input.js";
import { stockTarget, type StockTarget } from "./stock-target.js";

/** The users service's witness check, bound to its published keys once per process. */
export type WitnessVerifier = (token: string, expected: WitnessExpectation) => Promise<VerifiedWitness>;

/** What decides whether a movement needs a witness, and names the item in the refusal. */
export type WitnessedItem = Pick<CatalogItemRow, "name" | "controlList">;

export const WITNESS_REQUIRED = "WITNESS_REQUIRED";
export const WITNESS_NOT_NEEDED = "WITNESS_NOT_NEEDED";

/** A token this change cannot accept: FORBIDDEN with the verifier's fault as the reason. The actor may ask the witness again. */
const refusedWitness = (error: WitnessTokenError) =>
  errors.forbidden(`Witness token refused: ${error.message}`, {
    reason: `WITNESS_TOKEN_${error.code}`,
    field: "witnessToken",
  });

/**
 * Whether the token's presence fits the movement. Checked before the token is verified (from
 * a read of the item) and again inside the transaction (from the locked write's own read), so
 * an item put on a control list in between is never lost without a witness. A token where
 * none is needed is refused rather than ignored: a witness asked for and then silently dropped
 * would be a chain of custody that looks kept and is not.
 */
export function checkWitnessPresence(item: WitnessedItem, adjustment: StockAdjustment): boolean {
  const required = needsWitness(item, adjustment.reason, adjustment.delta);
  if (required && adjustment.witnessToken === null) {
    throw errors.badUserInput(`A loss of ${item.name}, a controlled medication, needs a witness`, {
      field: "witnessToken",
      reason: WITNESS_REQUIRED,
    });
  }
  if (!required && adjustment.witnessToken !== null) {
    throw errors.badUserInput("This movement needs no witness; send it without witnessToken", {
      field: "witnessToken",
      reason: WITNESS_NOT_NEEDED,
    });
  }
  return required;
}

/**
 * Verifies the token for this caller, cabinet and item. Outside any transaction: the users
 * service's key set may have to be fetched, and no row lock or pooled connection waits on it.
 */
async function verifyLossWitness(
  context: DispensersContext,
  target: StockTarget,
  token: string,
): Promise<VerifiedWitness> {
  const actorId = context.viewer?.id;
  if (!actorId) throw errors.forbidden("A witnessed loss is made by a signed-in person");
  try {
    return await context.services.verifyWitness(token, {
      actorId,
      step: "STOCK_LOSS",
      dispenserId: target.dispenser.id,
      itemId: target.item.id,
    });
  } catch (error) {
    if (error instanceof WitnessTokenError) throw refusedWitness(error);
    throw error;
  }
}

/**
 * Before the transaction: for a movement that may need a witness, the presence check and the
 * token's verification. Ordinary movements (no token, not a loss) skip the extra read.
 */
export async function witnessBeforehand(
  context: DispensersContext,
  adjustment: StockAdjustment,
): Promise<VerifiedWitness | null> {
  if (adjustment.witnessToken === null && !isLoss(adjustment.reason, adjustment.delta)) return null;
  const target = await stockTarget(context.db, adjustment.dispenserId, adjustment.itemId);
  if (!checkWitnessPresence(target.item, adjustment) || adjustment.witnessToken === null) return null;
  return verifyLossWitness(context, target, adjustment.witnessToken);
}

/**
 * In the adjustment's transaction, before its writes: checks again from the transaction's read
 * of the item, then spends the token (a second use is CONFLICT WITNESS_TOKEN_USED). Returns the
 * witness to record on the ledger, or null when the movement needs none.
 */
export async function spendWitness(
  tx: DispensersTx,
  context: DispensersContext,
  target: StockTarget,
  adjustment: StockAdjustment,
  verified: VerifiedWitness | null,
): Promise<string | null> {
  if (!checkWitnessPresence(target.item, adjustment)) return null;
  // A token was present (or the check above had thrown), so it was verified beforehand.
  const actorId = context.viewer?.id;
  if (!verified || !actorId) throw new Error("a required witness reached the transaction unverified");
  await recordWitnessUse(tx, witnessUses, {
    jti: verified.jti,
    step: verified.step,
    witnessId: verified.witnessId,
    actorId,
    expiresAt: verified.expiresAt,
  });
  return verified.witnessId;
}
