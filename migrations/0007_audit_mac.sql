ALTER TABLE "audit_log" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "mac_key_id" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_mac_with_key_id" CHECK (("audit_log"."mac" is null) = ("audit_log"."mac_key_id" is null));