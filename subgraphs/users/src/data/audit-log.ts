import { and, count, eq, type SQL } from "drizzle-orm";
import * as tables from "@asky/db/schema/users";
import { countOf, keyset, timestampKey, type Connection } from "@asky/runtime";
import { isUuid } from "@asky/contracts";
import type { UsersDb, UsersExecutor } from "./db.js";
import type { AuditAction } from "../domain/audit-actions.js";

const { auditLog } = tables;

export type AuditRow = typeof tables.auditLog.$inferSelect & {
  /** `at` with full microsecond precision, for cursors (a JS Date keeps milliseconds only). */
  readonly atKey: string;
};

export type AuditDetail = Record<string, unknown>;

export interface AuditRecord {
  action: AuditAction;
  actorId: string | null;
  targetId: string | null;
  detail?: AuditDetail;
  ip: string | null;
}

/** Pass the transaction of the change being audited, so the entry exists exactly when the change does. */
export async function recordAudit(tx: UsersExecutor, record: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values({ ...record, detail: record.detail ?? {} });
}

export interface AuditFilter {
  actorId?: string | null;
  targetId?: string | null;
  action?: string | null;
}

function filterConditions(filter: AuditFilter): SQL[] | null {
  const conditions: SQL[] = [];
  for (const [column, id] of [
    [auditLog.actorId, filter.actorId],
    [auditLog.targetId, filter.targetId],
  ] as const) {
    if (id === null || id === undefined) continue;
    // A malformed id matches nothing (rather than failing the uuid cast in Postgres).
    if (!isUuid(id)) return null;
    conditions.push(eq(column, id));
  }
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  return conditions;
}

const atKey = timestampKey(auditLog.at);

/** Newest first, keyset-paged on (at, id); cursors keep `at` to the microsecond. */
const newestFirst = keyset<AuditRow>({
  column: auditLog.at,
  kind: "timestamp",
  tieBreaker: auditLog.id,
  direction: "desc",
  cursorOf: (row) => ({ sort: row.atKey, id: row.id }),
});

export function listAuditEntries(
  db: UsersDb,
  filter: AuditFilter,
  size: number,
  after: string | null | undefined,
): Promise<Connection<AuditRow>> {
  const conditions = filterConditions(filter);
  // A malformed id filter matches nothing; the cursor is still checked.
  if (conditions === null) return newestFirst.page({ size, after }, { rows: async () => [], total: async () => 0 });
  const rows = (past: SQL | undefined, limit: number) =>
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        actorId: auditLog.actorId,
        action: auditLog.action,
        targetId: auditLog.targetId,
        detail: auditLog.detail,
        ip: auditLog.ip,
        atKey,
      })
      .from(auditLog)
      .where(and(...conditions, past))
      .orderBy(...newestFirst.orderBy)
      .limit(limit);
  const total = () =>
    db
      .select({ value: count() })
      .from(auditLog)
      .where(and(...conditions))
      .then(countOf);
  return newestFirst.page({ size, after }, { rows, total });
}
