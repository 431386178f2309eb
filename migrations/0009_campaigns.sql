CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" integer NOT NULL,
	"scope" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"started_via" text NOT NULL,
	"started_by_slack_id" text,
	"scheduled_for" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by_slack_id" text,
	"close_mode" text,
	"audit_from_seq" bigint,
	"audit_to_seq" bigint,
	"policy_version" text
);
--> statement-breakpoint
CREATE TABLE "campaign_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"campaign_id" uuid NOT NULL,
	"access_kind" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"privileged" boolean DEFAULT false NOT NULL,
	"review_item_id" uuid NOT NULL,
	"via" text NOT NULL,
	"closed_as" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "review_items" ALTER COLUMN "finding_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_number_uq" ON "campaigns" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_scheduled_uq" ON "campaigns" USING btree ("scope","scheduled_for") WHERE "campaigns"."scheduled_for" is not null;--> statement-breakpoint
CREATE INDEX "campaigns_status_idx" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_items_access_uq" ON "campaign_items" USING btree ("campaign_id","access_kind","subject_type","subject_id");--> statement-breakpoint
CREATE INDEX "campaign_items_review_idx" ON "campaign_items" USING btree ("review_item_id");