import DataLoader from "dataloader";
import { and, asc, count, eq, getTableColumns, inArray, sql, type SQL } from "drizzle-orm";
import { requestHistory, requestItems, requests, type RequestKind, type RequestStatus } from "@asky/db/schema/requests";
import { countOf, invalidInput, keyset, loaderById, timestampKey, type Connection } from "@asky/runtime";
import { isUuid } from "@asky/contracts";
import { openStatuses } from "../domain/lifecycle.js";
import type { RequestsDb } from "./db.js";

export type RequestRow = typeof requests.$inferSelect;
export type RequestItemRow = typeof requestItems.$inferSelect;
export type RequestHistoryRow = typeof requestHistory.$inferSelect;

// An id that is not a UUID names no request (rather than a Postgres cast error).
export const createRequestLoader = (db: RequestsDb) =>
  loaderById(async (ids) => {
    const valid = ids.filter((id) => isUuid(id));
    return valid.length === 0 ? [] : db.select().from(requests).where(inArray(requests.id, valid));
  });

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

export interface OpenRequestsKey {
  /** Lowercase. */
  readonly dispenserId: string;
  readonly first: number;
}

/**
 * The oldest `first` requests still in progress of many cabinets in one statement: a lateral
 * top-N per cabinet. A cabinet with thousands of open requests (a pharmacy that stopped
 * working its queue) costs one short index scan, and the list a client gets stays as long as
 * the operation limits assumed when they admitted the operation.
 */
async function fetchOpenRequests(
  db: RequestsDb,
  dispenserIds: readonly string[],
  first: number,
): Promise<Map<string, RequestRow[]>> {
  const open = inArray(requests.status, [...openStatuses]);
  const cabinets = db
    .selectDistinct({ dispenserId: requests.dispenserId })
    .from(requests)
    .where(and(inArray(requests.dispenserId, [...dispenserIds]), open))
    .as("cabinets");
  const oldest = db
    .select()
    .from(requests)
    .where(and(eq(requests.dispenserId, cabinets.dispenserId), open))
    .orderBy(asc(requests.createdAt), asc(requests.id))
    .limit(first)
    .as("oldest");
  const found = await db
    .select()
    .from(cabinets)
    .innerJoinLateral(oldest, sql`true`)
    .orderBy(asc(oldest.createdAt), asc(oldest.id));
  const byDispenser = new Map<string, RequestRow[]>();
  for (const { oldest: row } of found)
    byDispenser.set(row.dispenserId, [...(byDispenser.get(row.dispenserId) ?? []), row]);
  return byDispenser;
}

/** Requests still in progress per cabinet, oldest first (the order the pharmacy works them). */
export const createOpenByDispenserLoader = (db: RequestsDb) =>
  new DataLoader<OpenRequestsKey, RequestRow[], string>(
    async (keys) => {
      const bySize = new Map<number, Set<string>>();
      for (const key of keys) {
        // A malformed id names no cabinet: an empty list, not a failed cast for the batch.
        if (!isUuid(key.dispenserId)) continue;
        bySize.set(key.first, (bySize.get(key.first) ?? new Set()).add(key.dispenserId));
      }
      const fetched = new Map(
        [...bySize].map(([first, ids]) => [first, fetchOpenRequests(db, [...ids], first)] as const),
      );
      return Promise.all(keys.map(async (key) => (await fetched.get(key.first))?.get(key.dispenserId) ?? []));
    },
    { cacheKeyFn: (key) => `${key.first}|${key.dispenserId}` },
  );

/** Request.backorders: the requests opened for each request's BACKORDER lines, one statement per level. */
export const createBackordersLoader = (db: RequestsDb) =>
  new DataLoader<string, RequestRow[]>(async (ids) => {
    const valid = ids.filter((id) => isUuid(id));
    const rows =
      valid.length === 0
        ? []
        : await db.select().from(requests).where(inArray(requests.backorderOf, valid)).orderBy(asc(requests.createdAt));
    return ids.map((id) => rows.filter((row) => row.backorderOf === id));
  });

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

export function filterConditions(filter: RequestListFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.status && filter.status.length > 0) conditions.push(inArray(requests.status, [...filter.status]));
  if (filter.kind) conditions.push(eq(requests.kind, filter.kind));
  if (filter.dispenserId) {
    if (!isUuid(filter.dispenserId)) throw invalidInput({ argument: "dispenserId" }, "dispenserId is not a valid id");
    conditions.push(eq(requests.dispenserId, filter.dispenserId));
  }
  if (filter.ward) conditions.push(eq(requests.ward, filter.ward));
  if (filter.requesterId) conditions.push(eq(requests.requesterId, filter.requesterId));
  return conditions;
}

/** A request as a list page holds it: with created_at to the microsecond, for its cursor. */
export type RequestPageRow = RequestRow & { readonly createdAtKey: string };

/** What a page selects; the key is named, since User.requests selects it in a subquery. */
export const pageColumns = {
  ...getTableColumns(requests),
  createdAtKey: timestampKey(requests.createdAt).as("created_at_key"),
};

/**
 * Newest first: the pharmacy board shows the latest requests on top. User.requests pages
 * (requester-pages.ts) keep this order and cursor.
 */
export const newestFirst = keyset<RequestPageRow>({
  column: requests.createdAt,
  kind: "timestamp",
  tieBreaker: requests.id,
  direction: "desc",
  cursorOf: (row) => ({ sort: row.createdAtKey, id: row.id }),
});

export function listRequests(
  db: RequestsDb,
  filter: RequestListFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<RequestPageRow>> {
  const conditions = filterConditions(filter);
  return newestFirst.page(
    { size, after },
    {
      rows: (past, limit) =>
        db
          .select(pageColumns)
          .from(requests)
          .where(and(...conditions, past))
          .orderBy(...newestFirst.orderBy)
          .limit(limit),
      total: () =>
        db
          .select({ value: count() })
          .from(requests)
          .where(and(...conditions))
          .then(countOf),
    },
  );
}
