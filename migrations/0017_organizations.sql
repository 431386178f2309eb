CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_ref" text,
	"key_fingerprint" text,
	"key_state" text DEFAULT 'ok' NOT NULL,
	"key_detail" text,
	"key_checked_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "organizations_key_fingerprint_idx" ON "organizations" USING btree ("key_fingerprint");