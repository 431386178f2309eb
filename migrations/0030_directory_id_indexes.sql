CREATE INDEX "org_users_id_idx" ON "org_users" USING btree ("id");--> statement-breakpoint
CREATE INDEX "service_accounts_id_idx" ON "service_accounts" USING btree ("id");--> statement-breakpoint
CREATE INDEX "api_keys_id_idx" ON "api_keys" USING btree ("id");