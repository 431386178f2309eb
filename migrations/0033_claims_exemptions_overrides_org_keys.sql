DROP INDEX "exemptions_subject_idx";--> statement-breakpoint
DROP INDEX "claims_subject_idx";--> statement-breakpoint
CREATE INDEX "exemptions_subject_idx" ON "exemptions" USING btree ("org_id","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "claims_subject_idx" ON "claims" USING btree ("org_id","subject_type","subject_id","claimed_at");--> statement-breakpoint
ALTER TABLE "owner_overrides" DROP CONSTRAINT "owner_overrides_pk";
--> statement-breakpoint
ALTER TABLE "owner_overrides" ADD CONSTRAINT "owner_overrides_pk" PRIMARY KEY("org_id","subject_type","subject_id");