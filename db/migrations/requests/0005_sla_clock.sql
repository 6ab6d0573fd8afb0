CREATE TABLE "requests"."sla_policies" (
	"kind" "requests"."request_kind" NOT NULL,
	"priority" "requests"."request_priority" NOT NULL,
	"accept_within_seconds" integer NOT NULL,
	"dispatch_within_seconds" integer NOT NULL,
	"deliver_within_seconds" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid,
	CONSTRAINT "sla_policies_pkey" PRIMARY KEY("kind","priority"),
	CONSTRAINT "sla_policies_windows_check" CHECK ("requests"."sla_policies"."accept_within_seconds" >= 1 AND "requests"."sla_policies"."accept_within_seconds" <= "requests"."sla_policies"."dispatch_within_seconds" AND "requests"."sla_policies"."dispatch_within_seconds" <= "requests"."sla_policies"."deliver_within_seconds" AND "requests"."sla_policies"."deliver_within_seconds" <= 604800)
);
--> statement-breakpoint
CREATE TABLE "requests"."sla_policy_changes" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"kind" "requests"."request_kind" NOT NULL,
	"priority" "requests"."request_priority" NOT NULL,
	"previous_accept_within_seconds" integer NOT NULL,
	"previous_dispatch_within_seconds" integer NOT NULL,
	"previous_deliver_within_seconds" integer NOT NULL,
	"accept_within_seconds" integer NOT NULL,
	"dispatch_within_seconds" integer NOT NULL,
	"deliver_within_seconds" integer NOT NULL,
	"actor_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD COLUMN "sla_stage" text;--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD COLUMN "sla_due_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD COLUMN "sla_warned_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD COLUMN "sla_breached_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sla_policy_changes_kind_priority_seq_idx" ON "requests"."sla_policy_changes" USING btree ("kind","priority","seq");--> statement-breakpoint
CREATE INDEX "requests_sla_queue_idx" ON "requests"."requests" USING btree ("priority" DESC NULLS LAST,"sla_due_at","id") WHERE "sla_stage" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD CONSTRAINT "requests_sla_stage_check" CHECK ("requests"."requests"."sla_stage" IN ('ACCEPT', 'DISPATCH', 'DELIVER'));--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD CONSTRAINT "requests_sla_due_check" CHECK (("requests"."requests"."sla_stage" IS NULL) = ("requests"."requests"."sla_due_at" IS NULL));--> statement-breakpoint
-- Default turnaround targets, in seconds from the request's creation (accept / dispatch / at the
-- ward). STAT follows the literature (dispatched within 15 minutes, at the ward within 30);
-- a RESTOCK refills a cabinet that still has stock, so it gets longer windows, and an
-- ASSISTANCE call is someone walking to the cabinet, so it gets shorter ones.
INSERT INTO "requests"."sla_policies" ("kind", "priority", "accept_within_seconds", "dispatch_within_seconds", "deliver_within_seconds")
SELECT k."kind"::"requests"."request_kind", p."priority"::"requests"."request_priority", p."accept", p."dispatch", p."deliver"
FROM (VALUES ('MEDICATION'), ('MATERIAL')) AS k("kind")
CROSS JOIN (VALUES ('STAT', 300, 900, 1800), ('ASAP', 600, 1800, 3600), ('URGENT', 1800, 3600, 7200), ('ROUTINE', 3600, 14400, 28800)) AS p("priority", "accept", "dispatch", "deliver")
UNION ALL
SELECT 'RESTOCK', p."priority"::"requests"."request_priority", p."accept", p."dispatch", p."deliver"
FROM (VALUES ('STAT', 900, 3600, 7200), ('ASAP', 1800, 7200, 14400), ('URGENT', 3600, 14400, 28800), ('ROUTINE', 14400, 43200, 86400)) AS p("priority", "accept", "dispatch", "deliver")
UNION ALL
SELECT 'ASSISTANCE', p."priority"::"requests"."request_priority", p."accept", p."dispatch", p."deliver"
FROM (VALUES ('STAT', 120, 600, 900), ('ASAP', 300, 900, 1800), ('URGENT', 600, 1800, 3600), ('ROUTINE', 1800, 7200, 14400)) AS p("priority", "accept", "dispatch", "deliver");
--> statement-breakpoint
-- Requests already in progress get the clock of their current stage, counted from their creation.
UPDATE "requests"."requests" AS r SET
  "sla_stage" = s."stage",
  "sla_due_at" = r."created_at" + make_interval(secs => CASE s."stage" WHEN 'ACCEPT' THEN p."accept_within_seconds" WHEN 'DISPATCH' THEN p."dispatch_within_seconds" ELSE p."deliver_within_seconds" END)
FROM (VALUES ('PENDING', 'ACCEPT'), ('ACCEPTED', 'DISPATCH'), ('PREPARING', 'DISPATCH'), ('VERIFIED', 'DISPATCH'), ('DISPATCHED', 'DELIVER')) AS s("status", "stage"),
  "requests"."sla_policies" AS p
WHERE r."status"::text = s."status" AND p."kind" = r."kind" AND p."priority" = r."priority";
