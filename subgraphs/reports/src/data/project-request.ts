import { sql } from "drizzle-orm";
import type { EventEnvelope, RequestEventData } from "@asky/contracts";
import type { ProjectedLine } from "../domain/projected-lines.js";
import type { StatusColumn } from "../domain/status-column.js";

/** What can run the projection's statements: a consumer's transaction, or the rebuild's. */
export interface SqlExecutor {
  execute(query: ReturnType<typeof sql>): Promise<unknown>;
}

/**
 * What every event about a request carries (the lifecycle's and the turnaround clock's), enough
 * to create its row whichever arrives first.
 */
export type RequestFactData = Pick<
  RequestEventData,
  "requestId" | "number" | "kind" | "priority" | "ward" | "dispenserId" | "status" | "version"
>;

/** A request_facts column holding the first time something happened to the request. */
export type FactTimeColumn = StatusColumn | "sla_warned_at" | "sla_breached_at";

/**
 * Upserts the request's row. Applying an event twice, or events in any order, gives the same
 * row: the time a status was first reached (or a first SLA warning or breach noticed) only ever
 * moves earlier (LEAST, which skips nulls), and what describes the request now (status,
 * priority, ward...) follows the highest version. An SLA event carries the version the request
 * had when the clock noticed (the mark does not bump it): never newer than the lifecycle event
 * of that version, so it describes the request as that event does.
 */
export async function upsertRequestFact(
  tx: SqlExecutor,
  event: EventEnvelope<RequestFactData>,
  column: FactTimeColumn | null,
): Promise<void> {
  const { data } = event;
  // No column (a change of lines): the event moves no first time, only what follows the version.
  const at = sql.identifier(column ?? "created_at");
  const time = column === null ? sql`NULL::timestamptz` : sql`${event.occurredAt}::timestamptz`;
  const newer = sql`excluded.version > f.version`;
  await tx.execute(sql`
    INSERT INTO reports.request_facts AS f
      (request_id, number, kind, priority, ward, dispenser_id, status, version, ${at})
    VALUES (${data.requestId}, ${data.number}, ${data.kind}, ${data.priority}, ${data.ward},
      ${data.dispenserId}, ${data.status}, ${data.version}, ${time})
    ON CONFLICT (request_id) DO UPDATE SET
      ${at} = LEAST(f.${at}, excluded.${at}),
      number = CASE WHEN ${newer} THEN excluded.number ELSE f.number END,
      kind = CASE WHEN ${newer} THEN excluded.kind ELSE f.kind END,
      priority = CASE WHEN ${newer} THEN excluded.priority ELSE f.priority END,
      ward = CASE WHEN ${newer} THEN excluded.ward ELSE f.ward END,
      dispenser_id = CASE WHEN ${newer} THEN excluded.dispenser_id ELSE f.dispenser_id END,
      status = CASE WHEN ${newer} THEN excluded.status ELSE f.status END,
      version = GREATEST(f.version, excluded.version)`);
}

/**
 * Moves the request's row to the version a pick reached (its quantities reach the read model
 * with the dispatch's event). Only forward, and only once the row shows the PREPARING status
 * every pick is made in: a pick handled before that status change (another consumer) must not
 * make the change look older than the row, or its status would never be applied. Then the
 * lifecycle events that follow bring the version.
 */
export async function advanceRequestVersion(tx: SqlExecutor, requestId: string, version: number): Promise<void> {
  await tx.execute(sql`
    UPDATE reports.request_facts SET version = ${version}
    WHERE request_id = ${requestId} AND status = 'PREPARING' AND version < ${version}`);
}

/**
 * Upserts the lines, one statement for all of them. A newer event's values win where it has
 * one, an older event only fills what is still unknown: so redeliveries and late events leave
 * the rows as the highest version made them.
 */
export async function upsertLineFacts(
  tx: SqlExecutor,
  requestId: string,
  version: number,
  lines: readonly ProjectedLine[],
): Promise<void> {
  if (lines.length === 0) return;
  const newer = sql`excluded.version > l.version`;
  const merge = (column: string) => {
    const name = sql.identifier(column);
    return sql`${name} = CASE WHEN ${newer} THEN COALESCE(excluded.${name}, l.${name}) ELSE COALESCE(l.${name}, excluded.${name}) END`;
  };
  await tx.execute(sql`
    INSERT INTO reports.request_line_facts AS l
      (request_id, item_id, item_kind, substitute, quantity_requested, quantity_dispatched,
       quantity_received, unit_cost, therapeutic_class, version)
    SELECT ${requestId}::uuid, x.item_id, x.item_kind, x.substitute, x.quantity_requested,
      x.quantity_dispatched, x.quantity_received, x.unit_cost, x.therapeutic_class, ${version}::int
    FROM jsonb_to_recordset(${JSON.stringify(lines.map(toRecord))}::jsonb) AS x(
      item_id uuid, item_kind text, substitute boolean, quantity_requested int,
      quantity_dispatched int, quantity_received int, unit_cost numeric, therapeutic_class text)
    ON CONFLICT (request_id, item_id) DO UPDATE SET
      item_kind = CASE WHEN ${newer} THEN excluded.item_kind ELSE l.item_kind END,
      substitute = CASE WHEN ${newer} THEN excluded.substitute ELSE l.substitute END,
      ${merge("quantity_requested")},
      ${merge("quantity_dispatched")},
      ${merge("quantity_received")},
      ${merge("unit_cost")},
      ${merge("therapeutic_class")},
      version = GREATEST(l.version, excluded.version)`);
}

function toRecord(line: ProjectedLine) {
  return {
    item_id: line.itemId,
    item_kind: line.itemKind,
    substitute: line.substitute,
    quantity_requested: line.quantityRequested,
    quantity_dispatched: line.quantityDispatched,
    quantity_received: line.quantityReceived,
    unit_cost: line.unitCost,
    therapeutic_class: line.therapeuticClass,
  };
}

/** Empties the read model (not processed_events: the live consumers keep their place). */
export async function truncateReadModel(tx: SqlExecutor): Promise<void> {
  await tx.execute(sql`TRUNCATE reports.request_facts, reports.request_line_facts, reports.stock_movement_facts`);
}
