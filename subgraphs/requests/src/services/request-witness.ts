import { WitnessTokenError, type VerifiedWitness } from "@asky/auth";
import type { RequestStatus, Viewer } from "@asky/contracts";
import { recordWitnessUse, WITNESS_TOKEN_USED } from "@asky/db/record-witness-use";
import { witnessUses } from "@asky/db/schema/requests";
import { errors } from "@asky/runtime";
import type { RequestsContext } from "../context.js";
import { witnessUsed } from "../data/custody-reads.js";
import type { RequestsTx } from "../data/db.js";
import type { RequestRow } from "../data/requests.js";
import { checkWitnessPresence, witnessableStep } from "../domain/custody.js";

/** A token this change cannot accept: FORBIDDEN with the verifier's fault; the actor may ask the witness again. */
const refusedWitness = (error: WitnessTokenError) =>
  errors.forbidden(`Witness token refused: ${error.message}`, {
    reason: `WITNESS_TOKEN_${error.code}`,
    field: "witnessToken",
  });

/**
 * The token presented with a move, verified for this caller, the move's step and this request
 * (a receipt's nurse witness must be of the request's ward), and not spent before; null when
 * none was presented. A token on a move no witness ever confirms is refused at once
 * (WITNESS_NOT_NEEDED); whether this request needs one is checked later (checkWitnessPresence).
 * Outside any transaction: the users service's key set may have to be fetched, and no row
 * lock or pooled connection waits on it. A replay is answered here, before anything else is
 * looked at; the single use itself is the transaction's (spendRequestWitness).
 */
export async function presentedWitness(
  ctx: RequestsContext,
  actor: Viewer,
  request: RequestRow,
  to: RequestStatus,
  token: string | null,
): Promise<VerifiedWitness | null> {
  if (token === null) return null;
  const step = witnessableStep(to);
  if (step === null) {
    checkWitnessPresence(null, token);
    return null;
  }
  let verified: VerifiedWitness;
  try {
    verified = await ctx.services.verifyWitness(token, {
      actorId: actor.id,
      step,
      requestId: request.id,
      ...(step === "RECEIPT" ? { ward: request.ward } : {}),
    });
  } catch (error) {
    if (error instanceof WitnessTokenError) throw refusedWitness(error);
    throw error;
  }
  if (await witnessUsed(ctx.db, verified.jti)) {
    throw errors.conflict("Witness token already used", { reason: WITNESS_TOKEN_USED, field: "witnessToken" });
  }
  return verified;
}

/**
 * In the change's transaction, before its writes: spends the verified token (a second use,
 * even by a concurrent change, is CONFLICT WITNESS_TOKEN_USED and the whole change rolls back)
 * and returns the witness to record on the history entry; null when the move had none.
 */
export async function spendRequestWitness(
  tx: RequestsTx,
  actor: Viewer,
  verified: VerifiedWitness | null,
): Promise<string | null> {
  if (!verified) return null;
  await recordWitnessUse(tx, witnessUses, {
    jti: verified.jti,
    step: verified.step,
    witnessId: verified.witnessId,
    actorId: actor.id,
    expiresAt: verified.expiresAt,
  });
  return verified.witnessId;
}
