CREATE SCHEMA IF NOT EXISTS "requests";
--> statement-breakpoint
CREATE TYPE "requests"."request_kind" AS ENUM('MEDICATION', 'MATERIAL', 'ASSISTANCE', 'RESTOCK');--> statement-breakpoint
CREATE TYPE "requests"."request_priority" AS ENUM('ROUTINE', 'URGENT', 'ASAP', 'STAT');--> statement-breakpoint
CREATE TYPE "requests"."request_status" AS ENUM('PENDING', 'ACCEPTED', 'PREPARING', 'DISPATCHED', 'DELIVERED', 'REJECTED', 'CANCELLED');--> statement-breakpoint
CREATE SEQUENCE "requests"."request_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "requests"."outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_subject_check" CHECK ("requests"."outbox"."subject" LIKE 'asky.%'),
	CONSTRAINT "outbox_attempts_check" CHECK ("requests"."outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "requests"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "requests"."request_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"seq" bigserial NOT NULL,
	"from_status" "requests"."request_status",
	"to_status" "requests"."request_status" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid NOT NULL,
	"reason_code" text,
	"reason_text" text,
	CONSTRAINT "request_history_transition_check" CHECK (("requests"."request_history"."from_status" IS NULL AND "requests"."request_history"."to_status" = 'PENDING') OR "requests"."request_history"."from_status" <> "requests"."request_history"."to_status"),
	CONSTRAINT "request_history_reason_code_check" CHECK ("requests"."request_history"."reason_code" IN ('OUT_OF_STOCK', 'DUPLICATE_REQUEST', 'CANCELED_BY_REQUESTER', 'CLINICAL_JUDGMENT', 'OTHER'))
);
--> statement-breakpoint
CREATE TABLE "requests"."request_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_cost" numeric(12, 2) NOT NULL,
	CONSTRAINT "request_items_request_id_item_id_key" UNIQUE("request_id","item_id"),
	CONSTRAINT "request_items_quantity_check" CHECK ("requests"."request_items"."quantity" > 0),
	CONSTRAINT "request_items_unit_cost_check" CHECK ("requests"."request_items"."unit_cost" >= 0),
	CONSTRAINT "request_items_item_kind_check" CHECK ("requests"."request_items"."item_kind" IN ('MEDICATION', 'MATERIAL'))
);
--> statement-breakpoint
CREATE TABLE "requests"."requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text DEFAULT ('REQ-' || regexp_replace('00000' || nextval('requests.request_number_seq')::text, '^0+(?=[0-9]{6})', '')) NOT NULL,
	"kind" "requests"."request_kind" NOT NULL,
	"priority" "requests"."request_priority" DEFAULT 'ROUTINE' NOT NULL,
	"status" "requests"."request_status" DEFAULT 'PENDING' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"requester_id" uuid NOT NULL,
	"assignee_id" uuid,
	"dispenser_id" uuid NOT NULL,
	"ward" text NOT NULL,
	"note" text,
	"reason_code" text,
	"reason_text" text,
	"total_cost" numeric(12, 2) DEFAULT '0' NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"source_event_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "requests_number_key" UNIQUE("number"),
	CONSTRAINT "requests_source_event_id_key" UNIQUE("source_event_id"),
	CONSTRAINT "requests_requester_id_idempotency_key_key" UNIQUE("requester_id","idempotency_key"),
	CONSTRAINT "requests_number_format_check" CHECK ("requests"."requests"."number" ~ '^REQ-[0-9]{6,}$'),
	CONSTRAINT "requests_version_check" CHECK ("requests"."requests"."version" >= 1),
	CONSTRAINT "requests_total_cost_check" CHECK ("requests"."requests"."total_cost" >= 0),
	CONSTRAINT "requests_reason_required_check" CHECK ("requests"."requests"."status" NOT IN ('REJECTED', 'CANCELLED') OR "requests"."requests"."reason_code" IS NOT NULL OR "requests"."requests"."reason_text" IS NOT NULL),
	CONSTRAINT "requests_reason_code_check" CHECK ("requests"."requests"."reason_code" IN ('OUT_OF_STOCK', 'DUPLICATE_REQUEST', 'CANCELED_BY_REQUESTER', 'CLINICAL_JUDGMENT', 'OTHER')),
	CONSTRAINT "requests_idempotency_key_length_check" CHECK (length("requests"."requests"."idempotency_key") BETWEEN 1 AND 200)
);
--> statement-breakpoint
ALTER TABLE "requests"."request_history" ADD CONSTRAINT "request_history_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "requests"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_seq_idx" ON "requests"."outbox" USING btree ("seq") WHERE "published_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_published_at_idx" ON "requests"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "processed_events_processed_at_idx" ON "requests"."processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "request_history_request_id_seq_idx" ON "requests"."request_history" USING btree ("request_id","seq");--> statement-breakpoint
CREATE INDEX "request_items_item_id_idx" ON "requests"."request_items" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "requests_ward_status_idx" ON "requests"."requests" USING btree ("ward","status");--> statement-breakpoint
CREATE INDEX "requests_dispenser_id_status_idx" ON "requests"."requests" USING btree ("dispenser_id","status");--> statement-breakpoint
CREATE INDEX "requests_requester_id_created_at_idx" ON "requests"."requests" USING btree ("requester_id","created_at");--> statement-breakpoint
CREATE INDEX "requests_assignee_id_status_idx" ON "requests"."requests" USING btree ("assignee_id","status") WHERE "assignee_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "requests_created_at_id_idx" ON "requests"."requests" USING btree ("created_at","id");