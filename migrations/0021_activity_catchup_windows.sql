CREATE TABLE "activity_catchup_windows" (
	"gte" text PRIMARY KEY NOT NULL,
	"lt" text NOT NULL,
	"after_id" text,
	"oldest_at" text,
	"done_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
