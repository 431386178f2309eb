/* 
    Unfortunately in current drizzle-kit version we can't automatically get name for primary key.
    We are working on making it available!

    Meanwhile you can:
        1. Check pk name in your database, by running
            SELECT constraint_name FROM information_schema.table_constraints
            WHERE table_schema = 'public'
                AND table_name = 'principal_activity_summary'
                AND constraint_type = 'PRIMARY KEY';
        2. Uncomment code below and paste pk name manually
        
    Hope to release this update as soon as possible
*/

-- ALTER TABLE "principal_activity_summary" DROP CONSTRAINT "<constraint_name>";--> statement-breakpoint
/* 
    Unfortunately in current drizzle-kit version we can't automatically get name for primary key.
    We are working on making it available!

    Meanwhile you can:
        1. Check pk name in your database, by running
            SELECT constraint_name FROM information_schema.table_constraints
            WHERE table_schema = 'public'
                AND table_name = 'principal_activity_recent'
                AND constraint_type = 'PRIMARY KEY';
        2. Uncomment code below and paste pk name manually
        
    Hope to release this update as soon as possible
*/

-- ALTER TABLE "principal_activity_recent" DROP CONSTRAINT "<constraint_name>";--> statement-breakpoint
ALTER TABLE "principal_activity_summary" ADD CONSTRAINT "principal_activity_summary_pk" PRIMARY KEY("org_id","principal_id");--> statement-breakpoint
ALTER TABLE "principal_activity_recent" ADD CONSTRAINT "principal_activity_recent_pk" PRIMARY KEY("org_id","principal_id");--> statement-breakpoint
ALTER TABLE "principal_activity_daily" DROP CONSTRAINT "principal_activity_daily_pk";
--> statement-breakpoint
ALTER TABLE "principal_activity_daily" ADD CONSTRAINT "principal_activity_daily_pk" PRIMARY KEY("org_id","principal_id","day");