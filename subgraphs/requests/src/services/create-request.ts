import { errors } from "@asky/runtime";
import { type Viewer } from "@asky/contracts";
import type { RequestsContext } from "../context.js";
import type { RequestsTx } from "../data/db.js";
import { findOpenRestock, lockRestocksOf } from "../data/open-restock.js";
import { findByIdempotencyKey, insertHistory, insertItems, insertRequestOnce } from "../data/request-writes.js";
import type { RequestRow } from "../data/requests.js";
import { requestHash } from "../domain/request-hash.js";
import { authorizeKind } from "../domain/request-kinds.js";
import type { CreateRequestInput } from "../generated/resolvers-types.js";
import { recordRequestEvent } from "../outbox/request-events.js";
import { normalizeCreateRequest } from "../validation/create-request-input.js";
import { checkDispenser, priceItems } from "./catalog-checks.js";
import { inTransaction } from "./unit-of-work.js";

/** A retry returns the original; the same key on a different request is the client's bug. */
function replay(existing: RequestRow, hash: string): RequestRow {
  if (existing.requestHash !== hash) {
    throw errors.conflict("This idempotencyKey was already used for a different request", {
      reason: "IDEMPOTENCY_KEY_REUSED",
      requestId: existing.id,
    });
  }
  return existing;
}

async function refuseSecondRestock(tx: RequestsTx, dispenserId: string): Promise<void> {
  await lockRestocksOf(tx, dispenserId);
  const open = await findOpenRestock(tx, dispenserId);
  if (open) {
    throw errors.conflict(`Cabinet already has restock ${open.number} in progress`, {
      reason: "RESTOCK_ALREADY_OPEN",
      requestId: open.id,
      status: open.status,
    });
  }
}

/**
 * createRequest: checks what needs no lookup, then asks the dispensers service about the
 * cabinet and items (outside any transaction: no locks held over HTTP), then writes the
 * request, its items, its creation history entry and its `created` event in one transaction.
 */
export async function createRequest(
  ctx: RequestsContext,
  actor: Viewer,
  input: CreateRequestInput,
): Promise<RequestRow> {
  const request = normalizeCreateRequest(input);
  const rule = authorizeKind(actor, request.kind);
  const hash = requestHash(request);
  const key = request.idempotencyKey;
  // A retry of a request that went through answers from here, without bothering the catalog.
  if (key) {
    const existing = await findByIdempotencyKey(ctx.db, actor.id, key);
    if (existing) return replay(existing, hash);
  }

  const lookup = await ctx.services.dispensers.lookup(
    request.dispenserId,
    request.items.map((line) => line.itemId),
  );
  const dispenser = checkDispenser(lookup, actor, request.kind, rule);
  const { items, totalCost } = priceItems(request.items, lookup.items, request.kind, rule);

  return inTransaction(ctx, async (tx) => {
    if (rule.onePerDispenser) {
      // Under the cabinet's lock, a concurrent retry must find its twin, not a "second" restock.
      if (key) {
        const twin = await findByIdempotencyKey(tx, actor.id, key);
        if (twin) return replay(twin, hash);
      }
      await refuseSecondRestock(tx, dispenser.id);
    }
    const row = await insertRequestOnce(
      tx,
      {
        kind: request.kind,
        priority: request.priority,
        requesterId: actor.id,
        dispenserId: dispenser.id,
        ward: dispenser.ward,
        note: request.note,
        assistanceReason: request.assistanceReason,
        totalCost,
        idempotencyKey: key,
        requestHash: key ? hash : null,
      },
      key ? "idempotencyKey" : null,
    );
    if (!row) {
      // Lost the race to a concurrent call with the same key, which has committed by now.
      const winner = await findByIdempotencyKey(tx, actor.id, key ?? "");
      if (!winner) throw new Error("idempotent insert conflicted but no request holds the key");
      return replay(winner, hash);
    }
    const itemRows = await insertItems(tx, row.id, items);
    await insertHistory(tx, { requestId: row.id, fromStatus: null, toStatus: "PENDING", actorId: actor.id });
    await recordRequestEvent(tx, { request: row, items: itemRows, previousStatus: null, actorId: actor.id });
    return row;
  });
}
