CREATE TABLE "reports"."stock_movement_facts" (
	"movement_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"stock_level_id" uuid NOT NULL,
	"dispenser_id" uuid NOT NULL,
	"ward" text NOT NULL,
	"item_id" uuid NOT NULL,
	"item_kind" text NOT NULL,
	"reason" text NOT NULL,
	"delta" integer NOT NULL,
	"quantity_before" integer NOT NULL,
	"quantity_after" integer NOT NULL,
	"lot_number" text,
	"lot_expires_at" date,
	"unit_cost" numeric(12, 2),
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "stock_movement_facts_item_kind_check" CHECK ("reports"."stock_movement_facts"."item_kind" IN ('MEDICATION', 'MATERIAL')),
	CONSTRAINT "stock_movement_facts_quantities_check" CHECK ("reports"."stock_movement_facts"."quantity_before" >= 0 AND "reports"."stock_movement_facts"."quantity_after" >= 0),
	CONSTRAINT "stock_movement_facts_delta_check" CHECK ("reports"."stock_movement_facts"."quantity_after" = "reports"."stock_movement_facts"."quantity_before" + "reports"."stock_movement_facts"."delta")
);
--> statement-breakpoint
ALTER TABLE "reports"."request_facts" ADD COLUMN "sla_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports"."request_facts" ADD COLUMN "sla_breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports"."request_line_facts" ADD COLUMN "therapeutic_class" text;--> statement-breakpoint
CREATE INDEX "stock_movement_facts_level_seq_idx" ON "reports"."stock_movement_facts" USING btree ("stock_level_id","seq");--> statement-breakpoint
CREATE INDEX "stock_movement_facts_at_idx" ON "reports"."stock_movement_facts" USING btree ("at");--> statement-breakpoint
CREATE INDEX "stock_movement_facts_dispenser_at_idx" ON "reports"."stock_movement_facts" USING btree ("dispenser_id","at");