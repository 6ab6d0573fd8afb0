import DataLoader from "dataloader";
import { and, asc, count, desc, eq, inArray, lt, or, type SQL } from "drizzle-orm";
import { requestHistory, requestItems, requests, type RequestKind, type RequestStatus } from "@asky/db/schema/requests";
import { decodeCursor, errors, loaderById, toConnection, type Connection } from "@asky/common";
import type { RequestsDb } from "./db.js";

export type RequestRow = typeof requests.$inferSelect;
export type RequestItemRow = typeof requestItems.$inferSelect;
export type RequestHistoryRow = typeof requestHistory.$inferSelect;

export const createRequestLoader = (db: RequestsDb) =>
  loaderById((ids) => db.select().from(requests).where(inArray(requests.id, ids)));

/** Groups child rows by request id, one query for every request of an operation. */
function childrenLoader<TRow extends { requestId: string }>(fetch: (ids: string[]) => Promise<TRow[]>) {
  return new DataLoader<string, TRow[]>(async (ids) => {
    const rows = await fetch([...ids]);
    const byRequest = new Map<string, TRow[]>();
    for (const row of rows) byRequest.set(row.requestId, [...(byRequest.get(row.requestId) ?? []), row]);
    return ids.map((id) => byRequest.get(id) ?? []);
  });
}

export const createItemsLoader = (db: RequestsDb) =>
  childrenLoader((ids) =>
    db.select().from(requestItems).where(inArray(requestItems.requestId, ids)).orderBy(asc(requestItems.id)),
  );

export const createHistoryLoader = (db: RequestsDb) =>
  childrenLoader((ids) =>
    db.select().from(requestHistory).where(inArray(requestHistory.requestId, ids)).orderBy(asc(requestHistory.seq)),
  );

export interface RequestListFilter {
  status?: readonly RequestStatus[] | null;
  kind?: RequestKind | null;
  dispenserId?: string | null;
  ward?: string | null;
  requesterId?: string | null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function filterConditions(filter: RequestListFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.status && filter.status.length > 0) conditions.push(inArray(requests.status, [...filter.status]));
  if (filter.kind) conditions.push(eq(requests.kind, filter.kind));
  if (filter.dispenserId) {
    if (!uuidPattern.test(filter.dispenserId)) throw errors.badUserInput("dispenserId is not a valid id", { argument: "dispenserId" });
    conditions.push(eq(requests.dispenserId, filter.dispenserId));
  }
  if (filter.ward) conditions.push(eq(requests.ward, filter.ward));
  if (filter.requesterId) conditions.push(eq(requests.requesterId, filter.requesterId));
  return conditions;
}

function cursorTime(sort: string): Date {
  const at = new Date(sort);
  if (Number.isNaN(at.getTime())) throw errors.badUserInput("Malformed cursor", { argument: "after" });
  return at;
}

/** Newest first: the pharmacy board shows the latest requests on top. */
export async function listRequests(
  db: RequestsDb,
  filter: RequestListFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<RequestRow>> {
  const conditions = filterConditions(filter);
  const cursor = decodeCursor(after);
  let page = conditions;
  if (cursor) {
    if (!uuidPattern.test(cursor.id)) throw errors.badUserInput("Malformed cursor", { argument: "after" });
    const at = cursorTime(cursor.sort);
    page = [...conditions, or(lt(requests.createdAt, at), and(eq(requests.createdAt, at), lt(requests.id, cursor.id)))!];
  }
  const [rows, [total]] = await Promise.all([
    db.select().from(requests).where(and(...page)).orderBy(desc(requests.createdAt), desc(requests.id)).limit(size + 1),
    db.select({ value: count() }).from(requests).where(and(...conditions)),
  ]);
  return toConnection(rows, size, total?.value ?? 0, (row) => ({ sort: row.createdAt.toISOString(), id: row.id }));
}
