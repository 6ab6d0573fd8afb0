import { and, eq, sql } from "drizzle-orm";
import {
  requestHistory,
  requestItems,
  requests,
  type RequestReasonCode,
  type RequestStatus,
} from "@asky/db/schema/requests";
import { slaStageOf } from "../domain/sla-stage.js";
import type { RequestsExecutor, RequestsTx } from "./db.js";
import { slaDueSql } from "./sla-clock.js";
import type { RequestHistoryRow, RequestItemRow, RequestRow } from "./requests.js";

export type NewRequest = Omit<
  typeof requests.$inferInsert,
  | "id"
  | "number"
  | "status"
  | "version"
  | "createdAt"
  | "updatedAt"
  | "slaStage"
  | "slaDueAt"
  | "slaWarnedAt"
  | "slaBreachedAt"
>;

/**
 * Inserts a request unless one with the same idempotency key (per requester) or the same
 * source event already exists; null then. Racing inserts of one key serialize on the unique
 * index: the losers wait for the winner's commit and then insert nothing.
 */
export async function insertRequestOnce(
  tx: RequestsTx,
  values: NewRequest,
  conflictOn: "idempotencyKey" | "sourceEventId" | null,
): Promise<RequestRow | null> {
  // A new request is PENDING: its clock runs to ACCEPT, from now(), the created_at default.
  const insert = tx.insert(requests).values({
    ...values,
    slaStage: "ACCEPT",
    slaDueAt: slaDueSql("ACCEPT", values.kind, values.priority ?? "ROUTINE", sql`now()`),
  });
  const rows =
    conflictOn === "idempotencyKey"
      ? await insert.onConflictDoNothing({ target: [requests.requesterId, requests.idempotencyKey] }).returning()
      : conflictOn === "sourceEventId"
        ? await insert.onConflictDoNothing({ target: requests.sourceEventId }).returning()
        : await insert.returning();
  return rows[0] ?? null;
}

export async function findByIdempotencyKey(
  db: RequestsExecutor,
  requesterId: string,
  key: string,
): Promise<RequestRow | null> {
  const [row] = await db
    .select()
    .from(requests)
    .where(and(eq(requests.requesterId, requesterId), eq(requests.idempotencyKey, key)));
  return row ?? null;
}

export type NewItem = Pick<typeof requestItems.$inferInsert, "itemId" | "itemKind" | "quantity" | "unitCost"> &
  Partial<Pick<typeof requestItems.$inferInsert, "controlled" | "controlList" | "therapeuticClass">>;

export async function insertItems(
  tx: RequestsTx,
  requestId: string,
  items: readonly NewItem[],
): Promise<RequestItemRow[]> {
  if (items.length === 0) return [];
  return tx
    .insert(requestItems)
    .values(items.map((item) => ({ ...item, requestId })))
    .returning();
}

export async function itemsOf(db: RequestsExecutor, requestId: string): Promise<RequestItemRow[]> {
  return db.select().from(requestItems).where(eq(requestItems.requestId, requestId)).orderBy(requestItems.id);
}

export type NewHistoryEntry = Pick<
  typeof requestHistory.$inferInsert,
  "requestId" | "fromStatus" | "toStatus" | "actorId"
> &
  Partial<Pick<typeof requestHistory.$inferInsert, "reasonCode" | "reasonText" | "witnessId">>;

/** `at` defaults to now(): the transaction's clock, the same instant as the request's updated_at. */
export async function insertHistory(tx: RequestsTx, entry: NewHistoryEntry): Promise<RequestHistoryRow> {
  const [row] = await tx.insert(requestHistory).values(entry).returning();
  if (!row) throw new Error("history insert returned nothing");
  return row;
}

export interface StatusUpdate {
  readonly id: string;
  readonly expectedVersion: number;
  readonly from: RequestStatus;
  readonly to: RequestStatus;
  readonly assigneeId?: string;
  readonly reasonCode?: RequestReasonCode | null;
  readonly reasonText?: string | null;
}

/**
 * The compare-and-set at the heart of concurrency: the row changes only if it still has the
 * version (and status) the decision was made on. Of concurrent changes exactly one matches;
 * the others wait for its commit, re-check, match nothing and get null.
 */
export async function updateStatus(tx: RequestsTx, change: StatusUpdate): Promise<RequestRow | null> {
  const [row] = await tx
    .update(requests)
    .set({
      ...slaChange(change.from, change.to),
      status: change.to,
      version: sql`${requests.version} + 1`,
      updatedAt: sql`now()`,
      ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
      ...(change.reasonCode !== undefined ? { reasonCode: change.reasonCode } : {}),
      ...(change.reasonText !== undefined ? { reasonText: change.reasonText } : {}),
    })
    .where(
      and(eq(requests.id, change.id), eq(requests.version, change.expectedVersion), eq(requests.status, change.from)),
    )
    .returning();
  return row ?? null;
}

/**
 * The clock on a move: a new stage starts with its due time by the policy in force now, and
 * its own warning and breach still to come; a move within a stage (PREPARING ⇄ VERIFIED) leaves
 * the clock running as it was, so it warns and breaches once. Closing stops it.
 */
function slaChange(from: RequestStatus, to: RequestStatus) {
  const stage = slaStageOf(to);
  if (stage === slaStageOf(from)) return {};
  return {
    slaStage: stage,
    slaDueAt: stage === null ? null : slaDueSql(stage, requests.kind, requests.priority, requests.createdAt),
    slaWarnedAt: null,
    slaBreachedAt: null,
  };
}

export async function findRequest(db: RequestsExecutor, id: string): Promise<RequestRow | null> {
  const [row] = await db.select().from(requests).where(eq(requests.id, id));
  return row ?? null;
}
