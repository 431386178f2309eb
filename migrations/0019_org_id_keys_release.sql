-- Issue 17: ids are unique per organisation, not globally. These five tables were keyed by
-- `id` alone through the implicit "<table>_pkey" constraint, whose name drizzle-kit cannot
-- read; this custom step drops them, and the generated migration after it (0020) adds the
-- (org_id, id) primary keys the schema declares. No row changes: every row has org_id ''
-- until Steward identifies its organisation at start-up (sync/adopt.ts).
ALTER TABLE "org_users" DROP CONSTRAINT "org_users_pkey";--> statement-breakpoint
ALTER TABLE "invites" DROP CONSTRAINT "invites_pkey";--> statement-breakpoint
ALTER TABLE "workspaces" DROP CONSTRAINT "workspaces_pkey";--> statement-breakpoint
ALTER TABLE "service_accounts" DROP CONSTRAINT "service_accounts_pkey";--> statement-breakpoint
ALTER TABLE "api_keys" DROP CONSTRAINT "api_keys_pkey";
