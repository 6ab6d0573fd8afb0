import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
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
    /**
     * First SLA_WARNING / SLA_BREACHED of the request, whatever the stage (issue 17's
     * `withinSla`). Applied with LEAST like the status times, so replays never move them.
     */
    slaWarnedAt: timestamptz("sla_warned_at"),
    slaBreachedAt: timestamptz("sla_breached_at"),
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
    /** The catalog item's therapeutic class frozen on the line at creation; null for materials or unknown. */
    therapeuticClass: text("therapeutic_class"),
    version: integer("version").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.requestId, t.itemId] }),
    index("request_line_facts_item_id_idx").on(t.itemId),
    check("request_line_facts_item_kind_check", sql`${t.itemKind} IN (${sqlValueList(catalogItemKinds)})`),
    check("request_line_facts_version_check", sql`${t.version} > 0`),
  ],
);

/**
 * One row per stock ledger row of the dispensers service (its `stock_moved` events), keyed by
 * the ledger row's id, so a redelivered event changes nothing. `seq` is the ledger's insertion
 * order: rows of one adjustment share `at`, and a level's quantity over time is read by `seq`.
 * Feeds `stockouts` (time a level spent at zero) and `expiryLoss` (EXPIRED rows at unit cost).
 */
export const stockMovementFacts = reportsSchema.table(
  "stock_movement_facts",
  {
    movementId: uuid("movement_id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    stockLevelId: uuid("stock_level_id").notNull(),
    dispenserId: uuid("dispenser_id").notNull(),
    ward: text("ward").notNull(),
    itemId: uuid("item_id").notNull(),
    itemKind: text("item_kind").notNull(),
    reason: text("reason").notNull(),
    delta: integer("delta").notNull(),
    quantityBefore: integer("quantity_before").notNull(),
    quantityAfter: integer("quantity_after").notNull(),
    lotNumber: text("lot_number"),
    /** The lot's expiry date when the ledger row names a lot the cabinet knows. */
    lotExpiresAt: date("lot_expires_at", { mode: "string" }),
    /** The item's unit cost when the movement was written, BRL. */
    unitCost: money("unit_cost"),
    at: timestamptz("at").notNull(),
  },
  (t) => [
    index("stock_movement_facts_level_seq_idx").on(t.stockLevelId, t.seq),
    index("stock_movement_facts_at_idx").on(t.at),
    index("stock_movement_facts_dispenser_at_idx").on(t.dispenserId, t.at),
    check("stock_movement_facts_item_kind_check", sql`${t.itemKind} IN (${sqlValueList(catalogItemKinds)})`),
    check("stock_movement_facts_quantities_check", sql`${t.quantityBefore} >= 0 AND ${t.quantityAfter} >= 0`),
    check("stock_movement_facts_delta_check", sql`${t.quantityAfter} = ${t.quantityBefore} + ${t.delta}`),
  ],
);

/** Event types a webhook may subscribe to (the GraphQL enum `WebhookEventType`). */
export const webhookEventTypes = [
  "REQUEST_CREATED",
  "REQUEST_STATUS_CHANGED",
  "SLA_WARNING",
  "SLA_BREACHED",
  "STOCK_LOW",
] as const;

export const webhookDeliveryStatuses = ["PENDING", "DELIVERED", "FAILED"] as const;

/**
 * Escalation webhooks an administrator registered. Not part of the read model: a rebuild
 * leaves them alone. The secret signs every delivery (HMAC-SHA256), so it is kept
 * recoverable, but sealed (AES-256-GCM under WEBHOOK_SECRET_KEYS, `v1:<kid>:...`; the reports
 * service's webhooks/secret-box): the column never holds it as given. Rows an earlier version
 * wrote in plain text are sealed by the service at start (SQL has no key); the API never
 * returns the secret.
 */
export const webhooks = reportsSchema.table(
  "webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    events: text("events").array().notNull(),
    secret: text("secret").notNull(),
    active: boolean("active").notNull().default(true),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    check("webhooks_events_check", sql`cardinality(${t.events}) > 0`),
    check("webhooks_secret_length_check", sql`char_length(${t.secret}) >= 32`),
  ],
);

/**
 * One delivery per webhook and event (unique: a redelivered event adds nothing). Replicas
 * claim due rows with `FOR UPDATE SKIP LOCKED` and hold them for `leased_until`, so one
 * attempt is sent by one replica only.
 */
export const webhookDeliveries = reportsSchema.table(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Cascade: deleting a webhook drops its pending deliveries and their log. */
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The event envelope exactly as it is POSTed. */
    body: text("body").notNull(),
    status: text("status").notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamptz("next_attempt_at").notNull().defaultNow(),
    leasedUntil: timestamptz("leased_until"),
    createdAt: timestamptz("created_at").notNull().defaultNow(),
    deliveredAt: timestamptz("delivered_at"),
  },
  (t) => [
    unique("webhook_deliveries_webhook_event_key").on(t.webhookId, t.eventId),
    index("webhook_deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'PENDING'`),
    index("webhook_deliveries_webhook_created_idx").on(t.webhookId, t.createdAt, t.id),
    check("webhook_deliveries_status_check", sql`${t.status} IN (${sqlValueList(webhookDeliveryStatuses)})`),
    check("webhook_deliveries_event_type_check", sql`${t.eventType} IN (${sqlValueList(webhookEventTypes)})`),
  ],
);

/** Every attempt of a delivery, as sent: append-only. */
export const webhookAttempts = reportsSchema.table(
  "webhook_attempts",
  {
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
    /** The receiver's HTTP status; null when none came (refused target, timeout, network). */
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.deliveryId, t.attempt] }),
    check("webhook_attempts_attempt_check", sql`${t.attempt} > 0`),
  ],
);

/** What administrators changed in this service (webhooks), append-only as the users service's log. */
export const auditLog = reportsSchema.table(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    at: timestamptz("at").notNull().defaultNow(),
    actorId: uuid("actor_id"),
    /** e.g. `webhook.create`, `webhook.update`, `webhook.delete`. */
    action: text("action").notNull(),
    targetId: uuid("target_id"),
    detail: jsonb("detail")
      .notNull()
      .default(sql`'{}'::jsonb`),
  },
  (t) => [
    check("audit_log_action_not_blank_check", sql`btrim(${t.action}) <> ''`),
    index("audit_log_target_id_at_idx").on(t.targetId, t.at),
  ],
);

export const { outbox, processedEvents } = eventTables(reportsSchema);
