DROP INDEX "attestations_subject_uq";--> statement-breakpoint
ALTER TABLE "attestations" ADD COLUMN "org_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "attestations_org_subject_uq" ON "attestations" USING btree ("org_id","subject_type","subject_id");