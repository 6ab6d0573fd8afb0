import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgSchema,
  text,
  unique,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { eventTables } from "./events.js";
import { witnessUsesTable } from "./witness-uses.js";
import {
  catalogItemKinds,
  controlLists,
  lineReasonCodes,
  requestLineStatuses,
  requestKinds,
  requestPriorities,
  requestReasonCodes,
  requestStatuses,
  slaStages,
  type CatalogItemKind,
  type ControlList,
  type LineReasonCode,
  type RequestLineStatus,
  type RequestReasonCode,
  type RequestStatus,
  type SlaStage,
} from "@asky/contracts";
import { slaPolicyTables } from "./sla-policies.js";
import { money, sqlValueList, timestamptz } from "./columns.js";

/** Schema owned by the `asky_requests` role. */
export const requestsSchema = pgSchema("requests");

// The request vocabulary is the contracts'; these names stay for the code that reads them here.
export type {
  LineReasonCode,
  RequestKind,
  RequestLineStatus,
  RequestPriority,
  RequestReasonCode,
  RequestStatus,
} from "@asky/contracts";
export { requestReasonCodes };
export const requestKindValues = requestKinds;
export const requestPriorityValues = requestPriorities;
export const requestStatusValues = requestStatuses;

export const requestKindEnum = requestsSchema.enum("request_kind", requestKinds);
export const requestPriorityEnum = requestsSchema.enum("request_priority", requestPriorities);
export const requestStatusEnum = requestsSchema.enum("request_status", requestStatuses);

/** Statuses after which nothing changes any more. */
export const terminalRequestStatuses: readonly RequestStatus[] = ["DELIVERED", "REJECTED", "CANCELLED"];

/** Source of human request numbers (`REQ-000123`). */
export const requestNumberSeq = requestsSchema.sequence("request_number_seq", { startWith: 1, increment: 1 });

/**
 * `REQ-` + the next sequence value, zero-padded to at least 6 digits and never truncated
 * (`lpad` alone would truncate values above 999999). Used as the column default, so an
 * insert that omits `number` gets one.
 */
export const nextRequestNumberSql = sql`('REQ-' || regexp_replace('00000' || nextval('requests.request_number_seq')::text, '^0+(?=[0-9]{6})', ''))`;

export const requests = requestsSchema.table(
  "requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: text("number").notNull().default(nextRequestNumberSql).unique("requests_number_key"),
    kind: requestKindEnum("kind").notNull(),
    priority: requestPriorityEnum("priority").notNull().default("ROUTINE"),
    status: requestStatusEnum("status").notNull().default("PENDING"),
    /** Optimistic concurrency: bumped by every transition (`expectedVersion`). */
    version: integer("version").notNull().default(1),
    /** User ids live in the users service: no FK across services. */
    requesterId: uuid("requester_id").notNull(),
    assigneeId: uuid("assignee_id"),
    /** Dispenser id (dispensers service), no FK. */
    dispenserId: uuid("dispenser_id").notNull(),
    /** Ward code denormalized from the dispenser at creation, for routing and nurse scoping. */
    ward: text("ward").notNull(),
    note: text("note"),
    /** Why an ASSISTANCE request was opened; null for every other kind. */
    assistanceReason: text("assistance_reason"),
    /** Reason of the last REJECTED/CANCELLED transition (copied from history for listing). */
    reasonCode: text("reason_code").$type<RequestReasonCode>(),
    reasonText: text("reason_text"),
    /** Sum of items' quantity × unit_cost at creation, BRL. */
    totalCost: money("total_cost").notNull().default("0"),
    /** Client-supplied key; with `request_hash` (hash of the input) makes createRequest retry-safe. */
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    /** `asky.dispensers.stock_low` event that opened this RESTOCK request (exactly-once). */
    sourceEventId: text("source_event_id").unique("requests_source_event_id_key"),
    /**
     * The request whose BACKORDER lines this one asks for again (opened when that one was
     * dispatched). Unique: one dispatch opens at most one backorder, however the attempts race.
     */
    backorderOf: uuid("backorder_of")
      .unique("requests_backorder_of_key")
      .references((): AnyPgColumn => requests.id),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at")
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
    /**
     * The turnaround clock (issue 17): the next milestone and when it is due, set from the
     * policy in force when the request was created or moved (sla_policies); null once closed.
     * `sla_warned_at` / `sla_breached_at` mark the stage's warning and breach, each once.
     */
    slaStage: text("sla_stage").$type<SlaStage>(),
    slaDueAt: timestamptz("sla_due_at"),
    slaWarnedAt: timestamptz("sla_warned_at"),
    slaBreachedAt: timestamptz("sla_breached_at"),
  },
  (t) => [
    unique("requests_requester_id_idempotency_key_key").on(t.requesterId, t.idempotencyKey),
    check("requests_number_format_check", sql`${t.number} ~ '^REQ-[0-9]{6,}$'`),
    check("requests_version_check", sql`${t.version} >= 1`),
    check("requests_total_cost_check", sql`${t.totalCost} >= 0`),
    check(
      "requests_reason_required_check",
      sql`${t.status} NOT IN ('REJECTED', 'CANCELLED') OR ${t.reasonCode} IS NOT NULL OR ${t.reasonText} IS NOT NULL`,
    ),
    check("requests_reason_code_check", sql`${t.reasonCode} IN (${sqlValueList(requestReasonCodes)})`),
    check(
      "requests_assistance_reason_check",
      sql`(${t.kind} = 'ASSISTANCE') = (${t.assistanceReason} IS NOT NULL) AND ${t.assistanceReason} IN ('DRAWER_JAMMED', 'COUNT_DISCREPANCY', 'DEVICE_OFFLINE', 'OTHER')`,
    ),
    check("requests_backorder_of_check", sql`${t.backorderOf} <> ${t.id}`),
    check("requests_idempotency_key_length_check", sql`length(${t.idempotencyKey}) BETWEEN 1 AND 200`),
    check("requests_sla_stage_check", sql`${t.slaStage} IN (${sqlValueList(slaStages)})`),
    check("requests_sla_due_check", sql`(${t.slaStage} IS NULL) = (${t.slaDueAt} IS NULL)`),
    index("requests_ward_status_idx").on(t.ward, t.status),
    index("requests_dispenser_id_status_idx").on(t.dispenserId, t.status),
    index("requests_requester_id_created_at_idx").on(t.requesterId, t.createdAt),
    index("requests_assignee_id_status_idx")
      .on(t.assigneeId, t.status)
      .where(sql`"assignee_id" IS NOT NULL`),
    /** Default listing order / keyset pagination. */
    index("requests_created_at_id_idx").on(t.createdAt, t.id),
    /** pharmacyQueue: open requests only (closed ones have no stage), most urgent first. */
    index("requests_sla_queue_idx")
      .on(t.priority.desc(), t.slaDueAt, t.id)
      .where(sql`"sla_stage" IS NOT NULL`),
  ],
);

/** Turnaround targets per kind and priority, and the audit of their changes. */
export const { slaPolicies, slaPolicyChanges } = slaPolicyTables(requestsSchema, requestKindEnum, requestPriorityEnum);

/** `'A1', 'A2', …` for the check constraint: constant codes (sqlValueList takes letters only). */
const controlListValues = sql.raw(controlLists.map((list) => `'${list}'`).join(", "));

/**
 * One line of a request: what was asked (`quantity`, the contract's quantityRequested) and,
 * once the pharmacy picks, what goes out (`quantity_dispatched`, its lots in
 * request_item_lots) and why it falls short. A substitution adds a line for the substitute
 * item, which the original line points at (`substituted_by_id`).
 */
export const requestItems = requestsSchema.table(
  "request_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    /** Catalog item id (dispensers service), no FK. */
    itemId: uuid("item_id").notNull(),
    /** `MEDICATION` | `MATERIAL`, so the gateway can resolve the `CatalogItem` type. */
    itemKind: text("item_kind").notNull().$type<CatalogItemKind>(),
    /** Quantity requested (for a substitute line: the quantity picked of the substitute). */
    quantity: integer("quantity").notNull(),
    /** Unit cost at request time (BRL), frozen for the request's total. */
    unitCost: money("unit_cost").notNull(),
    status: text("status").notNull().default("OPEN").$type<RequestLineStatus>(),
    /** Null until picked. */
    quantityDispatched: integer("quantity_dispatched"),
    /** Null until received. */
    quantityReceived: integer("quantity_received"),
    /** Why the line was picked short, cancelled, backordered or substituted. */
    reasonCode: text("reason_code").$type<LineReasonCode>(),
    /** The picker's remark (required with reason OTHER); never copied into events. */
    note: text("note"),
    substitutedById: uuid("substituted_by_id").references((): AnyPgColumn => requestItems.id, {
      onDelete: "set null",
    }),
    /**
     * Whether the item was a controlled substance when the line was made (the catalog's
     * controlList then), frozen so that verification and witnesses never depend on the
     * dispensers service being up later. Null only on lines made before this was recorded:
     * unknown, resolved from the catalog when needed and taken as controlled when it cannot be.
     */
    controlled: boolean("controlled"),
    /** The Portaria 344/98 list of a controlled item at that time; null when not controlled (or unknown). */
    controlList: text("control_list").$type<ControlList>(),
    /** The ward's remark on receiving other than what was dispatched (required then). */
    receiptNote: text("receipt_note"),
    /**
     * The medication's therapeutic class in the catalog when the line was made (at creation, or
     * when picked as a substitute), frozen like the unit cost so that consumption per class
     * counts what was asked under the class it had then. Null for materials, for medications
     * the catalog gives no class, for lines made before it was kept (not backfilled: unknown)
     * and for restock lines opened from a stock_low written before it carried the class.
     */
    therapeuticClass: text("therapeutic_class"),
  },
  (t) => [
    unique("request_items_request_id_item_id_key").on(t.requestId, t.itemId),
    check("request_items_quantity_check", sql`${t.quantity} > 0`),
    check("request_items_unit_cost_check", sql`${t.unitCost} >= 0`),
    check("request_items_item_kind_check", sql`${t.itemKind} IN (${sqlValueList(catalogItemKinds)})`),
    check("request_items_status_check", sql`${t.status} IN (${sqlValueList(requestLineStatuses)})`),
    check("request_items_reason_code_check", sql`${t.reasonCode} IN (${sqlValueList(lineReasonCodes)})`),
    check("request_items_quantity_dispatched_check", sql`${t.quantityDispatched} BETWEEN 0 AND ${t.quantity}`),
    check("request_items_quantity_received_check", sql`${t.quantityReceived} >= 0`),
    check("request_items_control_list_check", sql`${t.controlList} IN (${controlListValues})`),
    check(
      "request_items_controlled_check",
      sql`CASE WHEN ${t.controlled} IS NULL THEN ${t.controlList} IS NULL ELSE ${t.controlled} = (${t.controlList} IS NOT NULL) END`,
    ),
    check("request_items_substituted_check", sql`(${t.status} = 'SUBSTITUTED') = (${t.substitutedById} IS NOT NULL)`),
    index("request_items_item_id_idx").on(t.itemId),
  ],
);

/** The lots a line went out in; their quantities add up to the line's quantity_dispatched. */
export const requestItemLots = requestsSchema.table(
  "request_item_lots",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestItemId: uuid("request_item_id")
      .notNull()
      .references(() => requestItems.id, { onDelete: "cascade" }),
    lotNumber: text("lot_number").notNull(),
    /** The date printed on the box, as the dispensers service keeps lot expiry. */
    expiresAt: date("expires_at", { mode: "string" }),
    quantity: integer("quantity").notNull(),
  },
  (t) => [
    // Also the index the lots loader reads by.
    unique("request_item_lots_request_item_id_lot_number_key").on(t.requestItemId, t.lotNumber),
    check("request_item_lots_quantity_check", sql`${t.quantity} > 0`),
    check("request_item_lots_lot_number_not_blank_check", sql`btrim(${t.lotNumber}) <> ''`),
  ],
);

/** What a history entry records: a move along the lifecycle, or a pick recorded in PREPARING. */
export const historyEvents = ["STATUS_CHANGED", "PICK_RECORDED"] as const;
export type HistoryEvent = (typeof historyEvents)[number];

/**
 * Append-only history; `seq` orders entries of a request (and globally). A pick leaves the
 * status where it was (from = to = PREPARING), which only a PICK_RECORDED entry may do.
 */
export const requestHistory = requestsSchema.table(
  "request_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    requestId: uuid("request_id")
      .notNull()
      .references(() => requests.id, { onDelete: "cascade" }),
    seq: bigserial("seq", { mode: "number" }).notNull(),
    /** Null for the creation entry (→ PENDING). */
    fromStatus: requestStatusEnum("from_status"),
    toStatus: requestStatusEnum("to_status").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
    actorId: uuid("actor_id").notNull(),
    reasonCode: text("reason_code").$type<RequestReasonCode>(),
    reasonText: text("reason_text"),
    event: text("event").notNull().default("STATUS_CHANGED").$type<HistoryEvent>(),
    /**
     * User id of the second person who witnessed a controlled request's dispatch or receipt;
     * null when the step needed none. The token's single use is in witness_uses, same transaction.
     */
    witnessId: uuid("witness_id"),
  },
  (t) => [
    check(
      "request_history_transition_check",
      sql`CASE WHEN ${t.event} = 'PICK_RECORDED' THEN ${t.fromStatus} IS NOT DISTINCT FROM ${t.toStatus} ELSE (${t.fromStatus} IS NULL AND ${t.toStatus} = 'PENDING') OR ${t.fromStatus} <> ${t.toStatus} END`,
    ),
    check("request_history_witness_not_actor_check", sql`${t.witnessId} IS NULL OR ${t.witnessId} <> ${t.actorId}`),
    check("request_history_event_check", sql`${t.event} IN (${sqlValueList(historyEvents)})`),
    check("request_history_reason_code_check", sql`${t.reasonCode} IN (${sqlValueList(requestReasonCodes)})`),
    index("request_history_request_id_seq_idx").on(t.requestId, t.seq),
  ],
);

/** Witness tokens spent by controlled dispatches and receipts: a token serves one change only. */
export const witnessUses = witnessUsesTable(requestsSchema);

/** Transactional outbox (`asky.requests.*` events) and consumer dedupe for this service. */
export const { outbox, processedEvents } = eventTables(requestsSchema);
