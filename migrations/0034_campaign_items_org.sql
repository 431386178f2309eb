DROP INDEX "campaign_items_access_uq";--> statement-breakpoint
ALTER TABLE "campaign_items" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_items_access_uq" ON "campaign_items" USING btree ("campaign_id","org_id","access_kind","subject_type","subject_id");