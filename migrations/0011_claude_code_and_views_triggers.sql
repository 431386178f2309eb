-- Issue 13: a `*_viewed` activity means the app loaded content, possibly in the background, so
-- the summary keeps the last day with any other feed event apart (`last_use_day`), and Claude Code
-- use (claude_code_daily) counts as usage for the seat or key it names. Same merge rules as
-- 0003: roll-ups only grow, so GREATEST/LEAST are exact.
CREATE OR REPLACE FUNCTION steward_summarise_activity_daily() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s
    (principal_id, principal_type, first_event_at, last_event_at, last_event_type, last_event_day, last_use_day, last_admin_day, in_directory, updated_at)
  SELECT g.principal_id, g.principal_type, g.first_at, g.last_at, g.last_type, g.last_day, g.use_day, g.admin_day,
         steward_in_directory(g.principal_id), now()
  FROM (
    SELECT n.principal_id,
           min(n.principal_type) AS principal_type,
           min(n.first_at) AS first_at,
           max(n.last_at) AS last_at,
           (array_agg(n.last_type ORDER BY n.last_at DESC NULLS LAST, n.day DESC))[1] AS last_type,
           max(n.day) FILTER (WHERE n.events > 0) AS last_day,
           max(n.day) FILTER (WHERE n.events > n.view_events) AS use_day,
           max(n.day) FILTER (WHERE n.admin_events > 0) AS admin_day
    FROM new_rows n
    GROUP BY n.principal_id
  ) g
  ON CONFLICT (principal_id) DO UPDATE SET
    first_event_at = LEAST(s.first_event_at, EXCLUDED.first_event_at),
    last_event_type = CASE
      WHEN EXCLUDED.last_event_at IS NOT NULL AND (s.last_event_at IS NULL OR EXCLUDED.last_event_at >= s.last_event_at)
        THEN EXCLUDED.last_event_type
      ELSE COALESCE(s.last_event_type, EXCLUDED.last_event_type)
    END,
    last_event_at = GREATEST(s.last_event_at, EXCLUDED.last_event_at),
    last_event_day = GREATEST(s.last_event_day, EXCLUDED.last_event_day),
    last_use_day = GREATEST(s.last_use_day, EXCLUDED.last_use_day),
    last_admin_day = GREATEST(s.last_admin_day, EXCLUDED.last_admin_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  INSERT INTO principal_activity_recent AS r (principal_id, events, updated_at)
  SELECT n.principal_id, steward_recent_days(jsonb_object_agg(n.day::text, n.events)), now()
  FROM new_rows n
  GROUP BY n.principal_id
  ON CONFLICT (principal_id) DO UPDATE SET
    events = steward_recent_days(r.events || EXCLUDED.events),
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Roll-ups stored before views were counted apart: every event counted as use, as it did then.
UPDATE principal_activity_summary SET last_use_day = last_event_day WHERE last_use_day IS NULL AND last_event_day IS NOT NULL;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_claude_code() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s (principal_id, principal_type, last_usage_day, in_directory, updated_at)
  SELECT n.principal_id, min(n.principal_type), max(n.day) FILTER (WHERE n.sessions > 0),
         steward_in_directory(n.principal_id), now()
  FROM new_rows n
  GROUP BY n.principal_id
  ON CONFLICT (principal_id) DO UPDATE SET
    last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER claude_code_daily_summarise_insert
  AFTER INSERT ON claude_code_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_claude_code();
--> statement-breakpoint
CREATE TRIGGER claude_code_daily_summarise_update
  AFTER UPDATE ON claude_code_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_claude_code();
