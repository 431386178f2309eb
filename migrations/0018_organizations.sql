CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_ref" text,
	"key_fingerprint" text,
	"key_state" text DEFAULT 'ok' NOT NULL,
	"key_detail" text,
	"key_checked_at" timestamp with time zone,
	"legacy" boolean DEFAULT false NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "findings_fingerprint_uq";--> statement-breakpoint
DROP INDEX "review_items_unresolved_fingerprint_uq";--> statement-breakpoint
DROP INDEX "removal_holds_pending_uq";--> statement-breakpoint
ALTER TABLE "org_users" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "invites" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "workspace_members" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "service_accounts" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "key_usage_daily" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "seat_usage_daily" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox_actions" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "org_id" text;--> statement-breakpoint
ALTER TABLE "claude_code_daily" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "removal_holds" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "organizations_key_fingerprint_idx" ON "organizations" USING btree ("key_fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "findings_fingerprint_uq" ON "findings" USING btree ("org_id","fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "review_items_unresolved_fingerprint_uq" ON "review_items" USING btree ("org_id","fingerprint") WHERE "review_items"."status" in ('pending', 'open');--> statement-breakpoint
CREATE UNIQUE INDEX "removal_holds_pending_uq" ON "removal_holds" USING btree ("org_id","listing") WHERE "removal_holds"."status" = 'pending';--> statement-breakpoint
ALTER TABLE "workspace_members" DROP CONSTRAINT "workspace_members_pk";
--> statement-breakpoint
ALTER TABLE "workspace_members" ADD CONSTRAINT "workspace_members_pk" PRIMARY KEY("org_id","workspace_id","user_id");--> statement-breakpoint
ALTER TABLE "key_usage_daily" DROP CONSTRAINT "key_usage_daily_pk";
--> statement-breakpoint
ALTER TABLE "key_usage_daily" ADD CONSTRAINT "key_usage_daily_pk" PRIMARY KEY("org_id","api_key_id","day");--> statement-breakpoint
ALTER TABLE "seat_usage_daily" DROP CONSTRAINT "seat_usage_daily_pk";
--> statement-breakpoint
ALTER TABLE "seat_usage_daily" ADD CONSTRAINT "seat_usage_daily_pk" PRIMARY KEY("org_id","user_id","day");--> statement-breakpoint
ALTER TABLE "claude_code_daily" DROP CONSTRAINT "claude_code_daily_pk";
--> statement-breakpoint
ALTER TABLE "claude_code_daily" ADD CONSTRAINT "claude_code_daily_pk" PRIMARY KEY("org_id","principal_id","day");