import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgSchema, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { catalogItemKinds, requestKinds, requestPriorities, requestStatuses } from "@asky/contracts";
import { eventTables } from "./events.js";
import { money, sqlValueList, timestamptz } from "./columns.js";

/**
 * Schema owned by the `asky_reports` role: a read model projected from the request lifecycle
 * events. Nothing here is a source of truth; `npm run reports:rebuild -w @asky/reports`
 * truncates it and replays the stream into the same rows.
 */
export const reportsSchema = pgSchema("reports");

/**
 * One row per request. Every event carries the request's kind, priority, ward and cabinet, so
 * the row exists from whichever event arrives first. The `*_at` columns hold the first time the
 * request reached each status: applied with LEAST, so a redelivered or late event never moves
 * them. `status` and `version` follow the highest version seen.
 */
export const requestFacts = reportsSchema.table(
  "request_facts",
  {
    requestId: uuid("request_id").primaryKey(),
    number: text("number").notNull(),
    kind: text("kind").notNull(),
    priority: text("priority").notNull(),
    ward: text("ward").notNull(),
    dispenserId: uuid("dispenser_id").notNull(),
    status: text("status").notNull(),
    /** Highest request version applied. */
    version: integer("version").notNull(),
    /** Null until the `created` event is applied (a status change may come first). */
    createdAt: timestamptz("created_at"),
    acceptedAt: timestamptz("accepted_at"),
    preparingAt: timestamptz("preparing_at"),
    verifiedAt: timestamptz("verified_at"),
    dispatchedAt: timestamptz("dispatched_at"),
    deliveredAt: timestamptz("delivered_at"),
    rejectedAt: timestamptz("rejected_at"),
    cancelledAt: timestamptz("cancelled_at"),
  },
  (t) => [
    index("request_facts_created_at_idx").on(t.createdAt),
    index("request_facts_delivered_at_idx").on(t.deliveredAt),
    index("request_facts_ward_created_at_idx").on(t.ward, t.createdAt),
    check("request_facts_kind_check", sql`${t.kind} IN (${sqlValueList(requestKinds)})`),
    check("request_facts_priority_check", sql`${t.priority} IN (${sqlValueList(requestPriorities)})`),
    check("request_facts_status_check", sql`${t.status} IN (${sqlValueList(requestStatuses)})`),
    check("request_facts_version_check", sql`${t.version} > 0`),
  ],
);

/**
 * One row per line of a request, as the highest version seen describes it (`version`). The
 * quantity asked for and the unit cost never change after creation, so a later event that
 * lacks them (an older producer) keeps what is known.
 */
export const requestLineFacts = reportsSchema.table(
  "request_line_facts",
  {
    requestId: uuid("request_id").notNull(),
    itemId: uuid("item_id").notNull(),
    itemKind: text("item_kind").notNull(),
    /** A line the pharmacy added in place of another: not one the ward asked for. */
    substitute: boolean("substitute").notNull().default(false),
    quantityRequested: integer("quantity_requested"),
    quantityDispatched: integer("quantity_dispatched"),
    quantityReceived: integer("quantity_received"),
    unitCost: money("unit_cost"),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.itemId] }),
    index("request_line_facts_item_id_idx").on(t.itemId),
    check("request_line_facts_item_kind_check", sql`${t.itemKind} IN (${sqlValueList(catalogItemKinds)})`),
    check("request_line_facts_version_check", sql`${t.version} > 0`),
  ],
);

export const { outbox, processedEvents } = eventTables(reportsSchema);
