CREATE SCHEMA IF NOT EXISTS "users";
--> statement-breakpoint
CREATE TYPE "users"."role" AS ENUM('NURSE', 'PHARMACIST', 'PHARMACY_TECHNICIAN', 'ADMIN');--> statement-breakpoint
CREATE TABLE "users"."audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"action" text NOT NULL,
	"target_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"ip" text,
	CONSTRAINT "audit_log_action_not_blank_check" CHECK (btrim("users"."audit_log"."action") <> '')
);
--> statement-breakpoint
CREATE TABLE "users"."login_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"email_hash" text NOT NULL,
	"ip" text NOT NULL,
	"success" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users"."outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigserial NOT NULL,
	"subject" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_subject_check" CHECK ("users"."outbox"."subject" LIKE 'asky.%'),
	CONSTRAINT "outbox_attempts_check" CHECK ("users"."outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "users"."processed_events" (
	"consumer" text NOT NULL,
	"event_id" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_events_pkey" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
CREATE TABLE "users"."refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"family_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"user_agent" text,
	"ip" text,
	CONSTRAINT "refresh_tokens_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "refresh_tokens_expiry_check" CHECK ("users"."refresh_tokens"."expires_at" > "users"."refresh_tokens"."created_at")
);
--> statement-breakpoint
CREATE TABLE "users"."users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"nickname" text NOT NULL,
	"full_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"cpf" text NOT NULL,
	"role" "users"."role" NOT NULL,
	"ward" text,
	"active" boolean DEFAULT true NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_cpf_key" UNIQUE("cpf"),
	CONSTRAINT "users_email_lowercase_check" CHECK ("users"."users"."email" = lower("users"."users"."email")),
	CONSTRAINT "users_email_format_check" CHECK ("users"."users"."email" ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
	CONSTRAINT "users_phone_e164_check" CHECK ("users"."users"."phone" ~ '^\+[1-9][0-9]{7,14}$'),
	CONSTRAINT "users_cpf_format_check" CHECK ("users"."users"."cpf" ~ '^[0-9]{11}$'),
	CONSTRAINT "users_nickname_not_blank_check" CHECK (btrim("users"."users"."nickname") <> ''),
	CONSTRAINT "users_full_name_not_blank_check" CHECK (btrim("users"."users"."full_name") <> '')
);
--> statement-breakpoint
ALTER TABLE "users"."refresh_tokens" ADD CONSTRAINT "refresh_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "users"."audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_id_at_idx" ON "users"."audit_log" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_target_id_at_idx" ON "users"."audit_log" USING btree ("target_id","at");--> statement-breakpoint
CREATE INDEX "login_attempts_email_hash_at_idx" ON "users"."login_attempts" USING btree ("email_hash","at");--> statement-breakpoint
CREATE INDEX "login_attempts_ip_at_idx" ON "users"."login_attempts" USING btree ("ip","at");--> statement-breakpoint
CREATE INDEX "login_attempts_at_idx" ON "users"."login_attempts" USING btree ("at");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_seq_idx" ON "users"."outbox" USING btree ("seq") WHERE "published_at" IS NULL;--> statement-breakpoint
CREATE INDEX "outbox_published_at_idx" ON "users"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "processed_events_processed_at_idx" ON "users"."processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "refresh_tokens_user_id_idx" ON "users"."refresh_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_family_id_idx" ON "users"."refresh_tokens" USING btree ("family_id");--> statement-breakpoint
CREATE INDEX "refresh_tokens_expires_at_idx" ON "users"."refresh_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "users_role_idx" ON "users"."users" USING btree ("role");--> statement-breakpoint
CREATE INDEX "users_ward_idx" ON "users"."users" USING btree ("ward") WHERE "ward" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "users_created_at_id_idx" ON "users"."users" USING btree ("created_at","id");