import { and, asc, count, desc, eq, isNotNull, or, sql, type SQL } from "drizzle-orm";
import { requests, requestPriorityValues, type RequestKind, type RequestPriority } from "@asky/db/schema/requests";
import {
  countOf,
  decodeCursor,
  timestampKey,
  timestampSortKey,
  toConnection,
  type Connection,
  type SortKeyDecoder,
} from "@asky/runtime";
import type { RequestsDb } from "./db.js";
import { pageColumns, type RequestRow } from "./requests.js";

/** A queue row, with what its cursor needs: past due at the page's instant, and the due time to the microsecond. */
export type QueueRow = RequestRow & {
  readonly createdAtKey: string;
  readonly breachedRank: number;
  readonly dueKey: string;
};

/** Where a client stopped: the instant the walk judges "past due" at, and the last row's place in the order. */
interface QueueKey {
  readonly asOf: string;
  readonly breachedRank: 0 | 1;
  readonly priority: RequestPriority;
  readonly due: string;
}

const SEPARATOR = "|";

function encodeKey(key: QueueKey): string {
  return [key.asOf, key.breachedRank, key.priority, key.due].join(SEPARATOR);
}

/** A queue cursor's sort value, every part checked, so nothing a client edits reaches SQL unchecked. */
const queueSortKey: SortKeyDecoder<QueueKey> = (value) => {
  if (typeof value !== "string" || value.length > 120) return null;
  const [asOf, rank, priority, due, ...rest] = value.split(SEPARATOR);
  if (rest.length > 0 || (rank !== "0" && rank !== "1")) return null;
  if (!requestPriorityValues.some((known) => known === priority)) return null;
  const checkedAsOf = timestampSortKey(asOf);
  const checkedDue = timestampSortKey(due);
  if (checkedAsOf === null || checkedDue === null) return null;
  return {
    asOf: checkedAsOf,
    breachedRank: rank === "0" ? 0 : 1,
    priority: priority as RequestPriority,
    due: checkedDue,
  };
};

export interface QueueFilter {
  readonly ward: string | null;
  readonly kind: RequestKind | null;
}

/**
 * The pharmacy's queue: requests still on the clock (a closed request has no stage), past due
 * first, then STAT before ASAP before URGENT before ROUTINE (the enum's order, descending),
 * then the earliest due, then id. "Past due" is judged at one instant per walk, carried in the
 * cursors: a request falling due while a client pages would otherwise jump to the front
 * behind it and be skipped. requests_sla_queue_idx (priority desc, sla_due_at, id, partial on
 * open requests) holds the rows in the order within each half, and only open rows.
 */
export async function pharmacyQueue(
  db: RequestsDb,
  filter: QueueFilter,
  size: number,
  after: string | null | undefined,
  now: Date,
): Promise<Connection<QueueRow>> {
  const cursor = decodeCursor(after, queueSortKey);
  const asOf = cursor?.sort.asOf ?? now.toISOString();
  const asOfSql = sql`${asOf}::timestamptz`;
  const breachedRank = sql<number>`(case when ${requests.slaDueAt} <= ${asOfSql} then 0 else 1 end)`;
  const conditions: SQL[] = [isNotNull(requests.slaStage)];
  if (filter.ward) conditions.push(eq(requests.ward, filter.ward));
  if (filter.kind) conditions.push(eq(requests.kind, filter.kind));
  const past = cursor ? pastKey(breachedRank, cursor.sort, cursor.id) : undefined;
  const [rows, total] = await Promise.all([
    db
      .select({
        ...pageColumns,
        breachedRank: breachedRank.mapWith(Number).as("breached_rank"),
        dueKey: timestampKey(requests.slaDueAt).as("due_key"),
      })
      .from(requests)
      .where(and(...conditions, past))
      .orderBy(asc(breachedRank), desc(requests.priority), asc(requests.slaDueAt), asc(requests.id))
      .limit(size + 1),
    db
      .select({ value: count() })
      .from(requests)
      .where(and(...conditions))
      .then(countOf),
  ]);
  return toConnection(rows, size, total, (row) => ({
    sort: encodeKey({
      asOf,
      breachedRank: row.breachedRank === 0 ? 0 : 1,
      priority: row.priority,
      due: row.dueKey,
    }),
    id: row.id,
  }));
}

/** Rows after the cursor in the queue's order; the directions differ, so it is spelled out. */
function pastKey(breachedRank: SQL<number>, key: QueueKey, id: string): SQL | undefined {
  const priority = sql`${key.priority}::requests.request_priority`;
  const due = sql`${key.due}::timestamptz`;
  return or(
    sql`${breachedRank} > ${key.breachedRank}`,
    and(
      sql`${breachedRank} = ${key.breachedRank}`,
      or(
        sql`${requests.priority} < ${priority}`,
        and(eq(requests.priority, key.priority), sql`(${requests.slaDueAt}, ${requests.id}) > (${due}, ${id}::uuid)`),
      ),
    ),
  );
}
