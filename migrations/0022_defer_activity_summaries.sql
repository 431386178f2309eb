-- Issue 21: during a catch-up of the activity feed the correlation summaries are not
-- refreshed per roll-up statement (the trigger's work is per principal, and every
-- principal is in every batch: it cost more CPU than storing the roll-ups themselves).
-- A catch-up batch sets `steward.defer_activity_summaries` for its transaction; the
-- transaction that ends the catch-up runs steward_summarise_all_activity() once, which
-- does what the trigger does over the whole of principal_activity_daily. The merge rules
-- only take the greater or lesser value, so the result is the same.
CREATE OR REPLACE FUNCTION steward_summarise_activity_daily() RETURNS trigger AS $$
BEGIN
  IF current_setting('steward.defer_activity_summaries', true) = 'on' THEN
    RETURN NULL;
  END IF;
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
-- The same two statements over every roll-up row, for the end of a catch-up.
CREATE OR REPLACE FUNCTION steward_summarise_all_activity() RETURNS void AS $$
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
    FROM principal_activity_daily n
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
  FROM principal_activity_daily n
  GROUP BY n.principal_id
  ON CONFLICT (principal_id) DO UPDATE SET
    events = steward_recent_days(r.events || EXCLUDED.events),
    updated_at = now();
END;
$$ LANGUAGE plpgsql;
