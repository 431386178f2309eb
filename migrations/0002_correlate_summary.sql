CREATE TABLE "principal_activity_summary" (
	"principal_id" text PRIMARY KEY NOT NULL,
	"principal_type" text NOT NULL,
	"first_event_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"last_event_type" text,
	"last_event_day" date,
	"last_admin_day" date,
	"last_usage_day" date,
	"in_directory" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "principal_activity_recent" (
	"principal_id" text PRIMARY KEY NOT NULL,
	"events" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"usage" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "privilege_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"activity_type" text NOT NULL,
	"grantee_type" text NOT NULL,
	"grantee_id" text NOT NULL,
	"workspace_id" text,
	"role" text,
	"previous_role" text,
	"actor_type" text,
	"actor_id" text
);
--> statement-breakpoint
CREATE INDEX "principal_activity_summary_unknown_idx" ON "principal_activity_summary" USING btree ("principal_id") WHERE not "principal_activity_summary"."in_directory";--> statement-breakpoint
CREATE INDEX "privilege_grants_granted_at_idx" ON "privilege_grants" USING btree ("granted_at");--> statement-breakpoint
CREATE INDEX "privilege_grants_grantee_idx" ON "privilege_grants" USING btree ("grantee_id");--> statement-breakpoint
CREATE INDEX "key_usage_daily_day_requests_idx" ON "key_usage_daily" USING btree ("day","requests");