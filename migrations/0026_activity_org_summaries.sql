-- Issue 17: the activity summaries are kept per organisation. The roll-ups say whose each
-- row is (the usage roll-ups: the organisation whose Admin key read them; the feed's
-- roll-ups: the organisation the activities name, or '' when they name none), and every
-- summary row is keyed (org_id, principal_id). A principal of organisation X has the
-- activity of its X row and of its '' row (correlation merges the two): activity naming no
-- organisation (sign-ins, API calls), and all of it stored before issue 17, counts for the
-- principal in every organisation, as it did before. The functions below replace those of
-- 0003, 0011 and 0022 with the organisation added to every key; the rows are then rebuilt
-- from the roll-ups, which hold everything the summaries are made of.

-- Whether organisation `org` lists the principal; for '' (activity naming no organisation),
-- whether any organisation does. Rows not yet identified ('') count for every organisation.
CREATE OR REPLACE FUNCTION steward_in_directory(org text, principal text) RETURNS boolean AS $$
  SELECT EXISTS (SELECT 1 FROM org_users WHERE id = principal AND (org = '' OR org_id IN (org, '')))
      OR EXISTS (SELECT 1 FROM api_keys WHERE id = principal AND (org = '' OR org_id IN (org, '')))
      OR EXISTS (SELECT 1 FROM service_accounts WHERE id = principal AND (org = '' OR org_id IN (org, '')))
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_activity_daily() RETURNS trigger AS $$
BEGIN
  IF current_setting('steward.defer_activity_summaries', true) = 'on' THEN
    RETURN NULL;
  END IF;
  INSERT INTO principal_activity_summary AS s
    (org_id, principal_id, principal_type, first_event_at, last_event_at, last_event_type, last_event_day, last_use_day, last_admin_day, in_directory, updated_at)
  SELECT g.org_id, g.principal_id, g.principal_type, g.first_at, g.last_at, g.last_type, g.last_day, g.use_day, g.admin_day,
         steward_in_directory(g.org_id, g.principal_id), now()
  FROM (
    SELECT n.org_id, n.principal_id,
           min(n.principal_type) AS principal_type,
           min(n.first_at) AS first_at,
           max(n.last_at) AS last_at,
           (array_agg(n.last_type ORDER BY n.last_at DESC NULLS LAST, n.day DESC))[1] AS last_type,
           max(n.day) FILTER (WHERE n.events > 0) AS last_day,
           max(n.day) FILTER (WHERE n.events > n.view_events) AS use_day,
           max(n.day) FILTER (WHERE n.admin_events > 0) AS admin_day
    FROM new_rows n
    GROUP BY n.org_id, n.principal_id
  ) g
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
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
  INSERT INTO principal_activity_recent AS r (org_id, principal_id, events, updated_at)
  SELECT n.org_id, n.principal_id, steward_recent_days(jsonb_object_agg(n.day::text, n.events)), now()
  FROM new_rows n
  GROUP BY n.org_id, n.principal_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    events = steward_recent_days(r.events || EXCLUDED.events),
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The same two statements over every roll-up row, for the end of a catch-up (issue 21).
CREATE OR REPLACE FUNCTION steward_summarise_all_activity() RETURNS void AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s
    (org_id, principal_id, principal_type, first_event_at, last_event_at, last_event_type, last_event_day, last_use_day, last_admin_day, in_directory, updated_at)
  SELECT g.org_id, g.principal_id, g.principal_type, g.first_at, g.last_at, g.last_type, g.last_day, g.use_day, g.admin_day,
         steward_in_directory(g.org_id, g.principal_id), now()
  FROM (
    SELECT n.org_id, n.principal_id,
           min(n.principal_type) AS principal_type,
           min(n.first_at) AS first_at,
           max(n.last_at) AS last_at,
           (array_agg(n.last_type ORDER BY n.last_at DESC NULLS LAST, n.day DESC))[1] AS last_type,
           max(n.day) FILTER (WHERE n.events > 0) AS last_day,
           max(n.day) FILTER (WHERE n.events > n.view_events) AS use_day,
           max(n.day) FILTER (WHERE n.admin_events > 0) AS admin_day
    FROM principal_activity_daily n
    GROUP BY n.org_id, n.principal_id
  ) g
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
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
  INSERT INTO principal_activity_recent AS r (org_id, principal_id, events, updated_at)
  SELECT n.org_id, n.principal_id, steward_recent_days(jsonb_object_agg(n.day::text, n.events)), now()
  FROM principal_activity_daily n
  GROUP BY n.org_id, n.principal_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    events = steward_recent_days(r.events || EXCLUDED.events),
    updated_at = now();
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_key_usage() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s (org_id, principal_id, principal_type, last_usage_day, in_directory, updated_at)
  SELECT n.org_id, n.api_key_id, 'api_key', max(n.day) FILTER (WHERE n.requests > 0), steward_in_directory(n.org_id, n.api_key_id), now()
  FROM new_rows n
  GROUP BY n.org_id, n.api_key_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  INSERT INTO principal_activity_recent AS r (org_id, principal_id, usage, updated_at)
  SELECT n.org_id, n.api_key_id,
         steward_recent_days(jsonb_object_agg(
           n.day::text,
           jsonb_build_array(n.requests, n.input_tokens + n.output_tokens + n.cache_read_tokens + n.cache_creation_tokens)
         )),
         now()
  FROM new_rows n
  GROUP BY n.org_id, n.api_key_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    usage = steward_recent_days(r.usage || EXCLUDED.usage),
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_seat_usage() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s (org_id, principal_id, principal_type, last_usage_day, in_directory, updated_at)
  SELECT n.org_id, n.user_id, 'user', max(n.day) FILTER (WHERE n.actions > 0), steward_in_directory(n.org_id, n.user_id), now()
  FROM new_rows n
  GROUP BY n.org_id, n.user_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  INSERT INTO principal_activity_recent AS r (org_id, principal_id, usage, updated_at)
  SELECT n.org_id, n.user_id, steward_recent_days(jsonb_object_agg(n.day::text, jsonb_build_array(n.actions, 0))), now()
  FROM new_rows n
  GROUP BY n.org_id, n.user_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    usage = steward_recent_days(r.usage || EXCLUDED.usage),
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_claude_code() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s (org_id, principal_id, principal_type, last_usage_day, in_directory, updated_at)
  SELECT n.org_id, n.principal_id, min(n.principal_type), max(n.day) FILTER (WHERE n.sessions > 0),
         steward_in_directory(n.org_id, n.principal_id), now()
  FROM new_rows n
  GROUP BY n.org_id, n.principal_id
  ON CONFLICT (org_id, principal_id) DO UPDATE SET
    last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_extract_privilege_grants() RETURNS trigger AS $$
BEGIN
  INSERT INTO privilege_grants (id, org_id, granted_at, activity_type, grantee_type, grantee_id, workspace_id, role, previous_role, actor_type, actor_id)
  SELECT n.id, n.org_id, n.created_at, n.type, g.grantee_type, g.grantee_id, g.workspace_id, g.role, g.previous_role, n.actor_type, n.actor_id
  FROM new_rows n
  CROSS JOIN LATERAL steward_privilege_grant_rows(n::activity_events) g
  WHERE g.grantee_id IS NOT NULL
  ON CONFLICT (id) DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A directory row now listed: the summaries it makes known are its organisation's and the
-- '' ones (and, for a row not identified yet, every organisation's).
CREATE OR REPLACE FUNCTION steward_mark_in_directory() RETURNS trigger AS $$
BEGIN
  UPDATE principal_activity_summary s SET in_directory = true
  FROM new_rows n
  WHERE s.principal_id = n.id AND NOT s.in_directory AND (s.org_id IN (n.org_id, '') OR n.org_id = '');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
DROP FUNCTION steward_in_directory(text);
--> statement-breakpoint
-- The rows, rebuilt by organisation from the roll-ups (the feed's roll-ups stored so far are
-- all '': they named no organisation when they were stored).
DELETE FROM principal_activity_summary;
--> statement-breakpoint
DELETE FROM principal_activity_recent;
--> statement-breakpoint
SELECT steward_summarise_all_activity();
--> statement-breakpoint
INSERT INTO principal_activity_summary AS s (org_id, principal_id, principal_type, last_usage_day, in_directory)
SELECT k.org_id, k.api_key_id, 'api_key', max(k.day) FILTER (WHERE k.requests > 0), steward_in_directory(k.org_id, k.api_key_id)
FROM key_usage_daily k GROUP BY k.org_id, k.api_key_id
ON CONFLICT (org_id, principal_id) DO UPDATE SET last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day);
--> statement-breakpoint
INSERT INTO principal_activity_summary AS s (org_id, principal_id, principal_type, last_usage_day, in_directory)
SELECT u.org_id, u.user_id, 'user', max(u.day) FILTER (WHERE u.actions > 0), steward_in_directory(u.org_id, u.user_id)
FROM seat_usage_daily u GROUP BY u.org_id, u.user_id
ON CONFLICT (org_id, principal_id) DO UPDATE SET last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day);
--> statement-breakpoint
INSERT INTO principal_activity_summary AS s (org_id, principal_id, principal_type, last_usage_day, in_directory)
SELECT c.org_id, c.principal_id, min(c.principal_type), max(c.day) FILTER (WHERE c.sessions > 0), steward_in_directory(c.org_id, c.principal_id)
FROM claude_code_daily c GROUP BY c.org_id, c.principal_id
ON CONFLICT (org_id, principal_id) DO UPDATE SET last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day);
--> statement-breakpoint
INSERT INTO principal_activity_recent AS r (org_id, principal_id, usage)
SELECT k.org_id, k.api_key_id,
       steward_recent_days(jsonb_object_agg(k.day::text, jsonb_build_array(k.requests, k.input_tokens + k.output_tokens + k.cache_read_tokens + k.cache_creation_tokens)))
FROM key_usage_daily k GROUP BY k.org_id, k.api_key_id
ON CONFLICT (org_id, principal_id) DO UPDATE SET usage = EXCLUDED.usage;
--> statement-breakpoint
INSERT INTO principal_activity_recent AS r (org_id, principal_id, usage)
SELECT u.org_id, u.user_id, steward_recent_days(jsonb_object_agg(u.day::text, jsonb_build_array(u.actions, 0)))
FROM seat_usage_daily u GROUP BY u.org_id, u.user_id
ON CONFLICT (org_id, principal_id) DO UPDATE SET usage = EXCLUDED.usage;
