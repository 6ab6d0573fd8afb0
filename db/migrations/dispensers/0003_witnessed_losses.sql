CREATE TABLE "dispensers"."witness_uses" (
	"jti" uuid PRIMARY KEY NOT NULL,
	"step" text NOT NULL,
	"witness_id" uuid NOT NULL,
	"actor_id" uuid NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "witness_uses_step_check" CHECK ("dispensers"."witness_uses"."step" IN ('DISPATCH', 'RECEIPT', 'STOCK_LOSS')),
	CONSTRAINT "witness_uses_witness_not_actor_check" CHECK ("dispensers"."witness_uses"."witness_id" <> "dispensers"."witness_uses"."actor_id")
);
--> statement-breakpoint
ALTER TABLE "dispensers"."stock_movements" ADD COLUMN "witness_id" uuid;--> statement-breakpoint
CREATE INDEX "witness_uses_witness_id_used_at_idx" ON "dispensers"."witness_uses" USING btree ("witness_id","used_at");--> statement-breakpoint
ALTER TABLE "dispensers"."stock_movements" ADD CONSTRAINT "stock_movements_witness_not_actor_check" CHECK ("dispensers"."stock_movements"."witness_id" IS NULL OR "dispensers"."stock_movements"."witness_id" <> "dispensers"."stock_movements"."actor_id");