CREATE TABLE "reports"."audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "audit_log_action_not_blank_check" CHECK (btrim("reports"."audit_log"."action") <> '')
);
--> statement-breakpoint
CREATE TABLE "reports"."webhook_attempts" (
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL,
	CONSTRAINT "webhook_attempts_delivery_id_attempt_pk" PRIMARY KEY("delivery_id","attempt"),
	CONSTRAINT "webhook_attempts_attempt_check" CHECK ("reports"."webhook_attempts"."attempt" > 0)
);
--> statement-breakpoint
CREATE TABLE "reports"."webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"leased_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "webhook_deliveries_webhook_event_key" UNIQUE("webhook_id","event_id"),
	CONSTRAINT "webhook_deliveries_status_check" CHECK ("reports"."webhook_deliveries"."status" IN ('PENDING', 'DELIVERED', 'FAILED')),
	CONSTRAINT "webhook_deliveries_event_type_check" CHECK ("reports"."webhook_deliveries"."event_type" IN ('REQUEST_CREATED', 'REQUEST_STATUS_CHANGED', 'SLA_WARNING', 'SLA_BREACHED', 'STOCK_LOW'))
);
--> statement-breakpoint
CREATE TABLE "reports"."webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhooks_events_check" CHECK (cardinality("reports"."webhooks"."events") > 0),
	CONSTRAINT "webhooks_secret_length_check" CHECK (char_length("reports"."webhooks"."secret") >= 32)
);
--> statement-breakpoint
ALTER TABLE "reports"."webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_deliveries_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "reports"."webhook_deliveries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports"."webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "reports"."webhooks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_target_id_at_idx" ON "reports"."audit_log" USING btree ("target_id","at");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "reports"."webhook_deliveries" USING btree ("next_attempt_at") WHERE "reports"."webhook_deliveries"."status" = 'PENDING';--> statement-breakpoint
CREATE INDEX "webhook_deliveries_webhook_created_idx" ON "reports"."webhook_deliveries" USING btree ("webhook_id","created_at","id");