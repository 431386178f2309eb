ALTER TABLE "lifecycle_notices" ADD COLUMN "slack_channel" text;--> statement-breakpoint
ALTER TABLE "lifecycle_notices" ADD COLUMN "slack_ts" text;