ALTER TABLE "exemptions" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "owner_overrides" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;