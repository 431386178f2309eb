CREATE TABLE "attestations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"access_kind" text NOT NULL,
	"label" text NOT NULL,
	"role" text,
	"workspace_id" text,
	"access_created_at" timestamp with time zone,
	"creator_user_id" text,
	"creator_email" text,
	"asked_via" text NOT NULL,
	"origin" text DEFAULT 'new' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"requested_slack_id" text,
	"delivery_lease_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"delivery_error" text,
	"slack_channel" text,
	"slack_ts" text,
	"purpose" text,
	"business_owner_slack_id" text,
	"end_date" text,
	"answered_by_slack_id" text,
	"answered_at" timestamp with time zone,
	"alert_channel" text,
	"alert_ts" text
);
--> statement-breakpoint
CREATE TABLE "slack_departures" (
	"slack_user_id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"how" text NOT NULL,
	"detected_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lifecycle_notices" (
	"key" text PRIMARY KEY NOT NULL,
	"recipient_slack_id" text,
	"sent_at" timestamp with time zone NOT NULL,
	"at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "attestations_subject_uq" ON "attestations" USING btree ("subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "attestations_status_idx" ON "attestations" USING btree ("status","requested_at");--> statement-breakpoint
CREATE INDEX "slack_departures_email_idx" ON "slack_departures" USING btree ("email");