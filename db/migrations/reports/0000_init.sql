CREATE SCHEMA IF NOT EXISTS "reports";
--> statement-breakpoint
CREATE TABLE "reports"."outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"headers" jsonb,
	CONSTRAINT "outbox_subject_check" CHECK ("reports"."outbox"."subject" LIKE 'asky.%'),
	CONSTRAINT "outbox_attempts_check" CHECK ("reports"."outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "reports"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "reports"."request_facts" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"priority" text NOT NULL,
	"ward" text NOT NULL,
	"dispenser_id" uuid NOT NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"preparing_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"rejected_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "request_facts_kind_check" CHECK ("reports"."request_facts"."kind" IN ('MEDICATION', 'MATERIAL', 'ASSISTANCE', 'RESTOCK')),
	CONSTRAINT "request_facts_priority_check" CHECK ("reports"."request_facts"."priority" IN ('ROUTINE', 'URGENT', 'ASAP', 'STAT')),
	CONSTRAINT "request_facts_status_check" CHECK ("reports"."request_facts"."status" IN ('PENDING', 'ACCEPTED', 'PREPARING', 'VERIFIED', 'DISPATCHED', 'DELIVERED', 'REJECTED', 'CANCELLED')),
	CONSTRAINT "request_facts_version_check" CHECK ("reports"."request_facts"."version" > 0)
);
--> statement-breakpoint
CREATE TABLE "reports"."request_line_facts" (
	"request_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"item_kind" text NOT NULL,
	"substitute" boolean DEFAULT false NOT NULL,
	"quantity_requested" integer,
	"quantity_dispatched" integer,
	"quantity_received" integer,
	"unit_cost" numeric(12, 2),
	"version" integer NOT NULL,
	CONSTRAINT "request_line_facts_request_id_item_id_pk" PRIMARY KEY("request_id","item_id"),
	CONSTRAINT "request_line_facts_item_kind_check" CHECK ("reports"."request_line_facts"."item_kind" IN ('MEDICATION', 'MATERIAL')),
	CONSTRAINT "request_line_facts_version_check" CHECK ("reports"."request_line_facts"."version" > 0)
);
--> statement-breakpoint
CREATE INDEX "outbox_unpublished_seq_idx" ON "reports"."outbox" USING btree ("seq") WHERE "published_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_published_at_idx" ON "reports"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "processed_events_processed_at_idx" ON "reports"."processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "request_facts_created_at_idx" ON "reports"."request_facts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "request_facts_delivered_at_idx" ON "reports"."request_facts" USING btree ("delivered_at");--> statement-breakpoint
CREATE INDEX "request_facts_ward_created_at_idx" ON "reports"."request_facts" USING btree ("ward","created_at");--> statement-breakpoint
CREATE INDEX "request_line_facts_item_id_idx" ON "reports"."request_line_facts" USING btree ("item_id");