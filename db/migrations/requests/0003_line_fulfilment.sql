CREATE TABLE "requests"."request_item_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_item_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"expires_at" date,
	"quantity" integer NOT NULL,
	CONSTRAINT "request_item_lots_request_item_id_lot_number_key" UNIQUE("request_item_id","lot_number"),
	CONSTRAINT "request_item_lots_quantity_check" CHECK ("requests"."request_item_lots"."quantity" > 0),
	CONSTRAINT "request_item_lots_lot_number_not_blank_check" CHECK (btrim("requests"."request_item_lots"."lot_number") <> '')
);
--> statement-breakpoint
ALTER TABLE "requests"."request_history" DROP CONSTRAINT "request_history_transition_check";--> statement-breakpoint
ALTER TABLE "requests"."request_history" ADD COLUMN "event" text DEFAULT 'STATUS_CHANGED' NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "status" text DEFAULT 'OPEN' NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "quantity_dispatched" integer;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "quantity_received" integer;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "reason_code" text;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "substituted_by_id" uuid;--> statement-breakpoint
-- Before line-level fulfilment a request went out whole: the lines of a DELIVERED request were
-- dispatched and received in full, those of a DISPATCHED one dispatched in full (PICKED, for
-- the receipt to confirm). Every other line is still OPEN, the column default.
UPDATE "requests"."request_items" AS i
SET "status" = 'DELIVERED', "quantity_dispatched" = i."quantity", "quantity_received" = i."quantity"
FROM "requests"."requests" AS r
WHERE r."id" = i."request_id" AND r."status" = 'DELIVERED';--> statement-breakpoint
UPDATE "requests"."request_items" AS i
SET "status" = 'PICKED', "quantity_dispatched" = i."quantity"
FROM "requests"."requests" AS r
WHERE r."id" = i."request_id" AND r."status" = 'DISPATCHED';--> statement-breakpoint
ALTER TABLE "requests"."request_item_lots" ADD CONSTRAINT "request_item_lots_request_item_id_request_items_id_fk" FOREIGN KEY ("request_item_id") REFERENCES "requests"."request_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_substituted_by_id_request_items_id_fk" FOREIGN KEY ("substituted_by_id") REFERENCES "requests"."request_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."request_history" ADD CONSTRAINT "request_history_event_check" CHECK ("requests"."request_history"."event" IN ('STATUS_CHANGED', 'PICK_RECORDED'));--> statement-breakpoint
ALTER TABLE "requests"."request_history" ADD CONSTRAINT "request_history_transition_check" CHECK (CASE WHEN "requests"."request_history"."event" = 'PICK_RECORDED' THEN "requests"."request_history"."from_status" IS NOT DISTINCT FROM "requests"."request_history"."to_status" ELSE ("requests"."request_history"."from_status" IS NULL AND "requests"."request_history"."to_status" = 'PENDING') OR "requests"."request_history"."from_status" <> "requests"."request_history"."to_status" END);--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_status_check" CHECK ("requests"."request_items"."status" IN ('OPEN', 'PICKED', 'PARTIAL', 'BACKORDERED', 'SUBSTITUTED', 'CANCELLED', 'DELIVERED'));--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_reason_code_check" CHECK ("requests"."request_items"."reason_code" IN ('STOCKOUT', 'BACKORDER', 'SUBSTITUTION', 'PACKAGE_SIZE', 'EXPIRED', 'DAMAGED', 'CLINICAL_JUDGMENT', 'OTHER'));--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_quantity_dispatched_check" CHECK ("requests"."request_items"."quantity_dispatched" BETWEEN 0 AND "requests"."request_items"."quantity");--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_quantity_received_check" CHECK ("requests"."request_items"."quantity_received" >= 0);--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_substituted_check" CHECK (("requests"."request_items"."status" = 'SUBSTITUTED') = ("requests"."request_items"."substituted_by_id" IS NOT NULL));