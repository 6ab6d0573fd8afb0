ALTER TYPE "requests"."request_status" ADD VALUE 'VERIFIED' BEFORE 'DISPATCHED';--> statement-breakpoint
CREATE TABLE "requests"."witness_uses" (
	"jti" uuid PRIMARY KEY NOT NULL,
	"step" text NOT NULL,
	"witness_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "witness_uses_step_check" CHECK ("requests"."witness_uses"."step" IN ('DISPATCH', 'RECEIPT', 'STOCK_LOSS')),
	CONSTRAINT "witness_uses_witness_not_actor_check" CHECK ("requests"."witness_uses"."witness_id" <> "requests"."witness_uses"."actor_id")
);
--> statement-breakpoint
ALTER TABLE "requests"."request_history" ADD COLUMN "witness_id" uuid;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "controlled" boolean;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "control_list" text;--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD COLUMN "receipt_note" text;--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD COLUMN "backorder_of" uuid;--> statement-breakpoint
CREATE INDEX "witness_uses_witness_id_used_at_idx" ON "requests"."witness_uses" USING btree ("witness_id","used_at");--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD CONSTRAINT "requests_backorder_of_requests_id_fk" FOREIGN KEY ("backorder_of") REFERENCES "requests"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD CONSTRAINT "requests_backorder_of_key" UNIQUE("backorder_of");--> statement-breakpoint
ALTER TABLE "requests"."request_history" ADD CONSTRAINT "request_history_witness_not_actor_check" CHECK ("requests"."request_history"."witness_id" IS NULL OR "requests"."request_history"."witness_id" <> "requests"."request_history"."actor_id");--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_control_list_check" CHECK ("requests"."request_items"."control_list" IN ('A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2', 'C3', 'C4', 'C5'));--> statement-breakpoint
ALTER TABLE "requests"."request_items" ADD CONSTRAINT "request_items_controlled_check" CHECK (CASE WHEN "requests"."request_items"."controlled" IS NULL THEN "requests"."request_items"."control_list" IS NULL ELSE "requests"."request_items"."controlled" = ("requests"."request_items"."control_list" IS NOT NULL) END);--> statement-breakpoint
ALTER TABLE "requests"."requests" ADD CONSTRAINT "requests_backorder_of_check" CHECK ("requests"."requests"."backorder_of" <> "requests"."requests"."id");--> statement-breakpoint
-- Lines made before the flag was recorded: a material is never controlled (only medications carry a
-- control list), so those are known; a medication's flag stays NULL (unknown), which the requests
-- service resolves from the catalog when it matters and takes as controlled when it cannot.
UPDATE "requests"."request_items" SET "controlled" = false WHERE "item_kind" = 'MATERIAL';
