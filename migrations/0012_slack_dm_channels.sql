CREATE TABLE "slack_dm_channels" (
	"slack_user_id" text PRIMARY KEY NOT NULL,
	"channel_id" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL
);
