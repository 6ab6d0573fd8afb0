/**
 * The lifecycle events of the seeded requests, written to the requests service's outbox in the
 * seed's transaction: the seed writes rows and history past the service, and without these the
 * reports read model (projected from the stream) would show nothing after a fresh start. The
 * envelopes are those the service writes for the same changes (requests/src/outbox/
 * request-events.ts), `occurredAt` the seeded history's instants.
 */
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import {
  requestCreated,
  requestStatusChanged,
  type CatalogItemKind,
  type EventEnvelope,
  type RequestEventData,
  type RequestEventItem,
  type RequestStatus,
} from "@asky/contracts";
import { outbox } from "../schema/requests.js";
import { dispenserId, seedId } from "./ids.js";
import type { PlannedRequest } from "./requests.js";

type Db = NodePgDatabase<Record<string, never>>;
type RequestEventLine = NonNullable<RequestEventData["lines"]>[number];

/**
 * Event ids are a function of the request and its version, so that the dispensers seed, which
 * cannot read this schema, can name the seeded events it must not act on.
 */
export const seededEventId = (requestId: string, version: number): string =>
  seedId("request-event", `${requestId}:${version}`);

/** The consumer of the dispensers service that adds a delivered RESTOCK to its cabinet. */
export const RESTOCK_DELIVERED_CONSUMER = "dispensers-restock-delivered";

/**
 * The seeded events that deliver a RESTOCK. The seeded cabinets' stock already holds what they
 * brought (it is the stock as of now), so the dispensers seed records them as applied: added
 * again, they would inflate the stock and re-raise stock_low for levels the seed left low.
 */
export function seededRestockDeliveries(planned: readonly PlannedRequest[]): string[] {
  return planned.flatMap((request) =>
    request.kind === "RESTOCK" && request.status === "DELIVERED"
      ? [seededEventId(request.id, request.history.length)]
      : [],
  );
}

/** A seeded line as the database holds it. */
export interface StoredLine {
  readonly requestId: string;
  readonly itemId: string;
  readonly itemKind: CatalogItemKind;
  readonly quantity: number;
  readonly unitCost: string;
  readonly therapeuticClass: string | null;
}

/**
 * What a seeded line says at `status`, as the seed's final rows say it (seededLine in
 * requests.ts): picked in full from VERIFIED or DISPATCHED on, received in full once DELIVERED.
 */
function lineAt(line: StoredLine, status: RequestStatus): RequestEventLine {
  const picked = status === "VERIFIED" || status === "DISPATCHED" || status === "DELIVERED";
  return {
    itemId: line.itemId,
    itemKind: line.itemKind,
    quantityRequested: line.quantity,
    quantityDispatched: picked ? line.quantity : null,
    quantityReceived: status === "DELIVERED" ? line.quantity : null,
    unitCost: Number(line.unitCost),
    substitute: false,
    therapeuticClass: line.therapeuticClass,
  };
}

/** The units that go out of each line (none is picked or received at 0; seeded lines have no lots). */
function outgoing(lines: readonly RequestEventLine[]): RequestEventItem[] {
  return lines.map((line) => ({
    itemId: line.itemId,
    itemKind: line.itemKind,
    quantity: line.quantityReceived ?? line.quantityDispatched ?? line.quantityRequested,
    quantityReceived: line.quantityReceived,
    lots: [],
  }));
}

/** One envelope per history row of `request`, in its order: version n is the n-th change. */
function eventsOf(request: PlannedRequest, number: string, stored: readonly StoredLine[]): EventEnvelope[] {
  let assigneeId: string | null = null;
  return request.history.map((change, index) => {
    // The assignee is whoever accepted it, from that change on (the service sets it then).
    if (change.to === "ACCEPTED") assigneeId = change.actor.id;
    const lines = stored.map((line) => lineAt(line, change.to));
    const data: RequestEventData = {
      requestId: request.id,
      number,
      kind: request.kind,
      priority: request.priority,
      ward: request.ward,
      dispenserId: dispenserId(request.dispenserCode),
      requesterId: request.requester.id,
      assigneeId,
      status: change.to,
      previousStatus: change.from,
      version: index + 1,
      actorId: change.actor.id,
      reasonCode: change.reasonCode ?? null,
      reason: change.reasonText ?? null,
      items: outgoing(lines),
      lines,
    };
    const contract = change.from === null ? requestCreated : requestStatusChanged;
    return contract.build(data, { id: seededEventId(request.id, index + 1), occurredAt: change.at });
  });
}

/**
 * The envelopes of every planned request's history, oldest first, given the numbers and lines
 * the database gave the rows. Pure: the seed's test checks them against the contracts.
 */
export function seededRequestEvents(
  planned: readonly PlannedRequest[],
  numberOf: ReadonlyMap<string, string>,
  linesOf: ReadonlyMap<string, readonly StoredLine[]>,
): EventEnvelope[] {
  return planned
    .flatMap((request) => {
      const number = numberOf.get(request.id);
      if (number === undefined) throw new Error(`seeded request ${request.id} has no row`);
      return eventsOf(request, number, linesOf.get(request.id) ?? []);
    })
    .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 200) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Appends every seeded request's lifecycle events to the outbox, oldest first (the outbox's
 * sequence, the events' cursors, then follows time), unpublished: the relay publishes them when
 * the service starts. Reads back what the database gave the rows (numbers, lines) so the events
 * say what the tables say. `created_at` stays the seeding instant: the outbox backlog's age
 * measures how long the relay takes, not how old the history is.
 */
export async function seedRequestEvents(tx: Db, planned: readonly PlannedRequest[]): Promise<number> {
  const ids = planned.map((request) => request.id);
  if (ids.length === 0) return 0;
  const idList = sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const numbers = await tx.execute<{ id: string; number: string }>(
    sql`SELECT id, number FROM requests.requests WHERE id IN (${idList})`,
  );
  const lines = await tx.execute<{
    request_id: string;
    item_id: string;
    item_kind: CatalogItemKind;
    quantity: number;
    unit_cost: string;
    therapeutic_class: string | null;
  }>(sql`
    SELECT request_id, item_id, item_kind, quantity, unit_cost::text AS unit_cost, therapeutic_class
    FROM requests.request_items WHERE request_id IN (${idList}) ORDER BY request_id, id`);
  const numberOf = new Map(numbers.rows.map((row) => [row.id, row.number]));
  const linesOf = new Map<string, StoredLine[]>();
  for (const row of lines.rows) {
    const line: StoredLine = {
      requestId: row.request_id,
      itemId: row.item_id,
      itemKind: row.item_kind,
      quantity: row.quantity,
      unitCost: row.unit_cost,
      therapeuticClass: row.therapeutic_class,
    };
    linesOf.set(row.request_id, [...(linesOf.get(row.request_id) ?? []), line]);
  }

  const events = seededRequestEvents(planned, numberOf, linesOf);
  await insertChunked(events, (chunk) =>
    tx.insert(outbox).values(chunk.map((event) => ({ id: event.id, subject: event.subject, payload: event }))),
  );
  return events.length;
}
