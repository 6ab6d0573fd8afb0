import { appendEvent } from "@asky/events";
import { isLineReasonCode, pickRecorded, type PickedLine } from "@asky/contracts";
import { outbox } from "@asky/db/schema/requests";
import type { RequestsTx } from "../data/db.js";
import type { RequestItemLotRow } from "../data/request-lines.js";
import type { RequestItemRow, RequestRow } from "../data/requests.js";

export interface RecordedPick {
  readonly request: RequestRow;
  /** Every line of the request after the pick, substitutes included. */
  readonly lines: readonly RequestItemRow[];
  readonly lots: readonly RequestItemLotRow[];
  readonly actorId: string;
}

function pickedLine(line: RequestItemRow, lots: readonly RequestItemLotRow[]): PickedLine {
  return {
    lineId: line.id,
    itemId: line.itemId,
    itemKind: line.itemKind,
    status: line.status,
    quantityRequested: line.quantity,
    quantityDispatched: line.quantityDispatched,
    reasonCode: isLineReasonCode(line.reasonCode) ? line.reasonCode : null,
    substitutedBy: line.substitutedById,
    lots: lots
      .filter((lot) => lot.requestItemId === line.id)
      .map((lot) => ({ lotNumber: lot.lotNumber, expiresAt: lot.expiresAt, quantity: lot.quantity })),
  };
}

/**
 * Writes asky.requests.pick_recorded to the outbox in the pick's transaction: every line as
 * it now stands, with its lots. The pickers' notes stay out: events travel further than the
 * request does.
 */
export async function recordPickEvent(tx: RequestsTx, pick: RecordedPick): Promise<string> {
  const { request, lines, lots, actorId } = pick;
  const envelope = pickRecorded.build(
    {
      requestId: request.id,
      number: request.number,
      ward: request.ward,
      dispenserId: request.dispenserId,
      version: request.version,
      actorId,
      lines: lines.map((line) => pickedLine(line, lots)),
    },
    { occurredAt: request.updatedAt },
  );
  await appendEvent(tx, outbox, envelope);
  return envelope.id;
}
