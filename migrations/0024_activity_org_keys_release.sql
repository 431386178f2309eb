-- Issue 17: the activity summaries are per organisation, keyed (org_id, principal_id). Both
-- tables were keyed by `principal_id` alone through the implicit "<table>_pkey" constraint,
-- whose name drizzle-kit cannot read; this custom step drops them, and the generated
-- migration after it (0025) adds the (org_id, principal_id) keys the schema declares. The
-- rows themselves are rebuilt from the roll-ups in 0026.
ALTER TABLE "principal_activity_summary" DROP CONSTRAINT "principal_activity_summary_pkey";--> statement-breakpoint
ALTER TABLE "principal_activity_recent" DROP CONSTRAINT "principal_activity_recent_pkey";
