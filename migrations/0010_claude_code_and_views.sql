CREATE TABLE "claude_code_daily" (
	"principal_id" text NOT NULL,
	"day" date NOT NULL,
	"principal_type" text NOT NULL,
	"sessions" integer DEFAULT 0 NOT NULL,
	"raw" jsonb,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claude_code_daily_pk" PRIMARY KEY("principal_id","day")
);
--> statement-breakpoint
ALTER TABLE "principal_activity_daily" ADD COLUMN "view_events" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "principal_activity_summary" ADD COLUMN "last_use_day" date;