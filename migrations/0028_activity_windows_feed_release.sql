-- Issue 17: with per-organisation compliance keys each organisation's feed has its own
-- catch-up windows, so a window is keyed by (feed, gte), not by gte alone. The implicit
-- "activity_catchup_windows_pkey" constraint's name is one drizzle-kit cannot read; this
-- custom step drops it, and the generated migration after it (0029) adds the primary key
-- the schema declares. Existing rows already have feed 'activities' (0027's default: the
-- single feed's checkpoint), so a catch-up in progress resumes unchanged.
ALTER TABLE "activity_catchup_windows" DROP CONSTRAINT "activity_catchup_windows_pkey";
