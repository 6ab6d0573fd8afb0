CREATE SCHEMA IF NOT EXISTS "dispensers";
--> statement-breakpoint
CREATE TYPE "dispensers"."catalog_kind" AS ENUM('MEDICATION', 'MATERIAL');--> statement-breakpoint
CREATE TYPE "dispensers"."dispenser_status" AS ENUM('ONLINE', 'OFFLINE', 'MAINTENANCE');--> statement-breakpoint
CREATE TYPE "dispensers"."stock_reason" AS ENUM('RESTOCK', 'COUNT_CORRECTION', 'DISPENSED', 'EXPIRED', 'DAMAGED', 'RETURNED', 'OTHER');--> statement-breakpoint
CREATE TABLE "dispensers"."catalog_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"kind" "dispensers"."catalog_kind" NOT NULL,
	"name" text NOT NULL,
	"search_text" text NOT NULL,
	"unit" text NOT NULL,
	"unit_cost" numeric(12, 2) NOT NULL,
	"active_ingredient" text,
	"strength" text,
	"dosage_form" text,
	"area" text,
	"therapeutic_class" text,
	"controlled" boolean DEFAULT false NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalog_items_code_key" UNIQUE("code"),
	CONSTRAINT "catalog_items_unit_cost_check" CHECK ("dispensers"."catalog_items"."unit_cost" >= 0),
	CONSTRAINT "catalog_items_name_not_blank_check" CHECK (btrim("dispensers"."catalog_items"."name") <> ''),
	CONSTRAINT "catalog_items_search_text_lowercase_check" CHECK ("dispensers"."catalog_items"."search_text" = lower("dispensers"."catalog_items"."search_text")),
	CONSTRAINT "catalog_items_medication_fields_check" CHECK ("dispensers"."catalog_items"."kind" <> 'MEDICATION' OR ("dispensers"."catalog_items"."active_ingredient" IS NOT NULL AND "dispensers"."catalog_items"."strength" IS NOT NULL AND "dispensers"."catalog_items"."dosage_form" IS NOT NULL)),
	CONSTRAINT "catalog_items_controlled_medication_check" CHECK ("dispensers"."catalog_items"."kind" = 'MEDICATION' OR NOT "dispensers"."catalog_items"."controlled")
);
--> statement-breakpoint
CREATE TABLE "dispensers"."dispensers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"ward" text NOT NULL,
	"floor" text NOT NULL,
	"location" text NOT NULL,
	"status" "dispensers"."dispenser_status" DEFAULT 'ONLINE' NOT NULL,
	"qr_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dispensers_code_key" UNIQUE("code"),
	CONSTRAINT "dispensers_qr_token_key" UNIQUE("qr_token"),
	CONSTRAINT "dispensers_code_format_check" CHECK ("dispensers"."dispensers"."code" ~ '^[A-Z0-9][A-Z0-9_-]*$'),
	CONSTRAINT "dispensers_name_not_blank_check" CHECK (btrim("dispensers"."dispensers"."name") <> ''),
	CONSTRAINT "dispensers_qr_token_length_check" CHECK (length("dispensers"."dispensers"."qr_token") >= 22)
);
--> statement-breakpoint
CREATE TABLE "dispensers"."outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_subject_check" CHECK ("dispensers"."outbox"."subject" LIKE 'asky.%'),
	CONSTRAINT "outbox_attempts_check" CHECK ("dispensers"."outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dispensers"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "dispensers"."stock_levels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dispenser_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer DEFAULT 0 NOT NULL,
	"par_level" integer NOT NULL,
	"min_level" integer NOT NULL,
	"low" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_levels_dispenser_id_item_id_key" UNIQUE("dispenser_id","item_id"),
	CONSTRAINT "stock_levels_quantity_check" CHECK ("dispensers"."stock_levels"."quantity" >= 0),
	CONSTRAINT "stock_levels_min_level_check" CHECK ("dispensers"."stock_levels"."min_level" >= 0),
	CONSTRAINT "stock_levels_par_level_check" CHECK ("dispensers"."stock_levels"."par_level" > 0),
	CONSTRAINT "stock_levels_min_le_par_check" CHECK ("dispensers"."stock_levels"."min_level" <= "dispensers"."stock_levels"."par_level")
);
--> statement-breakpoint
CREATE TABLE "dispensers"."stock_lots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stock_level_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"expires_at" date NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "stock_lots_stock_level_id_lot_number_key" UNIQUE("stock_level_id","lot_number"),
	CONSTRAINT "stock_lots_quantity_check" CHECK ("dispensers"."stock_lots"."quantity" >= 0),
	CONSTRAINT "stock_lots_lot_number_not_blank_check" CHECK (btrim("dispensers"."stock_lots"."lot_number") <> '')
);
--> statement-breakpoint
CREATE TABLE "dispensers"."stock_movements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"stock_level_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"reason" "dispensers"."stock_reason" NOT NULL,
	"note" text,
	"delta" integer NOT NULL,
	"quantity_before" integer NOT NULL,
	"quantity_after" integer NOT NULL,
	"lot_number" text,
	"source_event_id" text,
	CONSTRAINT "stock_movements_source_event_id_key" UNIQUE("source_event_id"),
	CONSTRAINT "stock_movements_quantities_check" CHECK ("dispensers"."stock_movements"."quantity_before" >= 0 AND "dispensers"."stock_movements"."quantity_after" >= 0),
	CONSTRAINT "stock_movements_delta_check" CHECK ("dispensers"."stock_movements"."quantity_after" = "dispensers"."stock_movements"."quantity_before" + "dispensers"."stock_movements"."delta")
);
--> statement-breakpoint
CREATE TABLE "dispensers"."wards" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"floor" text NOT NULL,
	CONSTRAINT "wards_code_format_check" CHECK ("dispensers"."wards"."code" ~ '^[A-Z0-9][A-Z0-9_-]*$'),
	CONSTRAINT "wards_name_not_blank_check" CHECK (btrim("dispensers"."wards"."name") <> '')
);
--> statement-breakpoint
ALTER TABLE "dispensers"."dispensers" ADD CONSTRAINT "dispensers_ward_wards_code_fk" FOREIGN KEY ("ward") REFERENCES "dispensers"."wards"("code") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "dispensers"."stock_levels" ADD CONSTRAINT "stock_levels_dispenser_id_dispensers_id_fk" FOREIGN KEY ("dispenser_id") REFERENCES "dispensers"."dispensers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispensers"."stock_levels" ADD CONSTRAINT "stock_levels_item_id_catalog_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "dispensers"."catalog_items"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispensers"."stock_lots" ADD CONSTRAINT "stock_lots_stock_level_id_stock_levels_id_fk" FOREIGN KEY ("stock_level_id") REFERENCES "dispensers"."stock_levels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dispensers"."stock_movements" ADD CONSTRAINT "stock_movements_stock_level_id_stock_levels_id_fk" FOREIGN KEY ("stock_level_id") REFERENCES "dispensers"."stock_levels"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "catalog_items_search_text_trgm_idx" ON "dispensers"."catalog_items" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "catalog_items_kind_name_idx" ON "dispensers"."catalog_items" USING btree ("kind","name");--> statement-breakpoint
CREATE INDEX "dispensers_ward_idx" ON "dispensers"."dispensers" USING btree ("ward");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_seq_idx" ON "dispensers"."outbox" USING btree ("seq") WHERE "published_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_published_at_idx" ON "dispensers"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "processed_events_processed_at_idx" ON "dispensers"."processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "stock_levels_item_id_idx" ON "dispensers"."stock_levels" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "stock_levels_low_idx" ON "dispensers"."stock_levels" USING btree ("dispenser_id") WHERE "low";--> statement-breakpoint
CREATE INDEX "stock_lots_expires_at_idx" ON "dispensers"."stock_lots" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "stock_movements_stock_level_id_at_idx" ON "dispensers"."stock_movements" USING btree ("stock_level_id","at");--> statement-breakpoint
CREATE INDEX "stock_movements_at_idx" ON "dispensers"."stock_movements" USING btree ("at");