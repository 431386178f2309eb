ALTER TABLE "review_items" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "delivery_lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "delivery_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "delivery_error" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "escalation_channel" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "escalation_ts" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "asked_slack_id" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "ask_channel" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "ask_ts" text;--> statement-breakpoint
ALTER TABLE "review_items" ADD COLUMN "owner_answer" text;