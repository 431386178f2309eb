CREATE TABLE "removal_holds" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"listing" text NOT NULL,
	"status" text NOT NULL,
	"known" integer NOT NULL,
	"held" integer NOT NULL,
	"held_ids" jsonb NOT NULL,
	"first_held_at" timestamp with time zone NOT NULL,
	"last_held_at" timestamp with time zone NOT NULL,
	"alerted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"decided_by" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "removal_holds_pending_uq" ON "removal_holds" USING btree ("listing") WHERE "removal_holds"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "removal_holds_status_idx" ON "removal_holds" USING btree ("status");