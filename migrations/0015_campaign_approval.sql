ALTER TABLE "campaigns" ADD COLUMN "approver" text;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD COLUMN "first_step" jsonb;