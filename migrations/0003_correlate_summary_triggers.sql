-- Correlation reads per-principal summaries, never raw events or whole daily history.
-- These statement-level triggers keep `principal_activity_summary`,
-- `principal_activity_recent` and `privilege_grants` in step with ingest, in the same
-- statement that writes the roll-ups, the raw events or the directory, so ingest needs
-- no extra step and the summaries never lag behind. Roll-ups only grow (events are deduplicated before they
-- are counted), so GREATEST/LEAST merges are exact; a day's recent count is replaced by
-- the roll-up's latest value. GREATEST and LEAST ignore NULLs.

-- Entries within 120 days of the newest one: bounded, and enough for 90-day windows.
CREATE OR REPLACE FUNCTION steward_recent_days(j jsonb) RETURNS jsonb AS $$
  SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
  FROM jsonb_each(j) e
  WHERE e.key::date > (SELECT max(k::date) FROM jsonb_object_keys(j) k) - 120
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_in_directory(principal text) RETURNS boolean AS $$
  SELECT EXISTS (SELECT 1 FROM org_users WHERE id = principal)
      OR EXISTS (SELECT 1 FROM api_keys WHERE id = principal)
      OR EXISTS (SELECT 1 FROM service_accounts WHERE id = principal)
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_activity_daily() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s
    (principal_id, principal_type, first_event_at, last_event_at, last_event_type, last_event_day, last_admin_day, in_directory, updated_at)
  SELECT g.principal_id, g.principal_type, g.first_at, g.last_at, g.last_type, g.last_day, g.admin_day,
         steward_in_directory(g.principal_id), now()
  FROM (
    SELECT n.principal_id,
           min(n.principal_type) AS principal_type,
           min(n.first_at) AS first_at,
           max(n.last_at) AS last_at,
           (array_agg(n.last_type ORDER BY n.last_at DESC NULLS LAST, n.day DESC))[1] AS last_type,
           max(n.day) FILTER (WHERE n.events > 0) AS last_day,
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
CREATE OR REPLACE FUNCTION steward_summarise_key_usage() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s (principal_id, principal_type, last_usage_day, in_directory, updated_at)
  SELECT n.api_key_id, 'api_key', max(n.day) FILTER (WHERE n.requests > 0), steward_in_directory(n.api_key_id), now()
  FROM new_rows n
  GROUP BY n.api_key_id
  ON CONFLICT (principal_id) DO UPDATE SET
    last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  INSERT INTO principal_activity_recent AS r (principal_id, usage, updated_at)
  SELECT n.api_key_id,
         steward_recent_days(jsonb_object_agg(
           n.day::text,
           jsonb_build_array(n.requests, n.input_tokens + n.output_tokens + n.cache_read_tokens + n.cache_creation_tokens)
         )),
         now()
  FROM new_rows n
  GROUP BY n.api_key_id
  ON CONFLICT (principal_id) DO UPDATE SET
    usage = steward_recent_days(r.usage || EXCLUDED.usage),
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_summarise_seat_usage() RETURNS trigger AS $$
BEGIN
  INSERT INTO principal_activity_summary AS s (principal_id, principal_type, last_usage_day, in_directory, updated_at)
  SELECT n.user_id, 'user', max(n.day) FILTER (WHERE n.actions > 0), steward_in_directory(n.user_id), now()
  FROM new_rows n
  GROUP BY n.user_id
  ON CONFLICT (principal_id) DO UPDATE SET
    last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day),
    in_directory = s.in_directory OR EXCLUDED.in_directory,
    updated_at = now();
  INSERT INTO principal_activity_recent AS r (principal_id, usage, updated_at)
  SELECT n.user_id, steward_recent_days(jsonb_object_agg(n.day::text, jsonb_build_array(n.actions, 0))), now()
  FROM new_rows n
  GROUP BY n.user_id
  ON CONFLICT (principal_id) DO UPDATE SET
    usage = steward_recent_days(r.usage || EXCLUDED.usage),
    updated_at = now();
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER principal_activity_daily_summarise_insert
  AFTER INSERT ON principal_activity_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_activity_daily();
--> statement-breakpoint
CREATE TRIGGER principal_activity_daily_summarise_update
  AFTER UPDATE ON principal_activity_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_activity_daily();
--> statement-breakpoint
CREATE TRIGGER key_usage_daily_summarise_insert
  AFTER INSERT ON key_usage_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_key_usage();
--> statement-breakpoint
CREATE TRIGGER key_usage_daily_summarise_update
  AFTER UPDATE ON key_usage_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_key_usage();
--> statement-breakpoint
CREATE TRIGGER seat_usage_daily_summarise_insert
  AFTER INSERT ON seat_usage_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_seat_usage();
--> statement-breakpoint
CREATE TRIGGER seat_usage_daily_summarise_update
  AFTER UPDATE ON seat_usage_daily
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_summarise_seat_usage();
--> statement-breakpoint
-- Activities that may grant privilege. Field names follow the Compliance API's activity
-- objects; the alternatives cover shapes seen in the wild. A grantee that cannot be
-- named is skipped (the activity itself stays in activity_events).
CREATE OR REPLACE FUNCTION steward_privilege_grant_rows(a activity_events)
  RETURNS TABLE (grantee_type text, grantee_id text, workspace_id text, role text, previous_role text) AS $$
  SELECT
    CASE
      WHEN a.type = 'admin_api_key_created' THEN 'admin_api_key'
      WHEN a.type IN ('platform_workspace_member_added', 'platform_workspace_member_updated') THEN 'workspace_member'
      ELSE 'user'
    END,
    CASE
      WHEN a.type = 'admin_api_key_created' THEN COALESCE(a.raw->>'admin_api_key_id', a.raw->>'api_key_id')
      WHEN a.type = 'primary_owner_transferred'
        THEN COALESCE(a.raw->>'new_primary_owner_user_id', a.raw->>'new_owner_user_id', a.raw->>'to_user_id', a.raw->>'user_id')
      ELSE COALESCE(a.raw->>'user_id', a.raw->>'target_user_id')
    END,
    a.raw->>'workspace_id',
    CASE
      WHEN a.type = 'admin_api_key_created' THEN 'admin_api_key'
      WHEN a.type = 'primary_owner_transferred' THEN 'primary_owner'
      ELSE COALESCE(a.raw->>'current_role', a.raw->>'workspace_role', a.raw->>'new_role', a.raw->>'role')
    END,
    COALESCE(a.raw->>'previous_role', a.raw->>'previous_workspace_role', a.raw->>'old_role')
  WHERE a.type IN (
    'claude_user_role_updated',
    'primary_owner_transferred',
    'platform_workspace_member_added',
    'platform_workspace_member_updated',
    'admin_api_key_created'
  );
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION steward_extract_privilege_grants() RETURNS trigger AS $$
BEGIN
  INSERT INTO privilege_grants (id, granted_at, activity_type, grantee_type, grantee_id, workspace_id, role, previous_role, actor_type, actor_id)
  SELECT n.id, n.created_at, n.type, g.grantee_type, g.grantee_id, g.workspace_id, g.role, g.previous_role, n.actor_type, n.actor_id
  FROM new_rows n
  CROSS JOIN LATERAL steward_privilege_grant_rows(n::activity_events) g
  WHERE g.grantee_id IS NOT NULL
  ON CONFLICT (id) DO NOTHING;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER activity_events_extract_privilege_grants
  AFTER INSERT ON activity_events
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_extract_privilege_grants();
--> statement-breakpoint
-- A principal the directory lists for the first time stops being unknown. Upserts of
-- rows already listed go to the UPDATE transition table and do not fire these.
CREATE OR REPLACE FUNCTION steward_mark_in_directory() RETURNS trigger AS $$
BEGIN
  UPDATE principal_activity_summary s SET in_directory = true
  FROM new_rows n
  WHERE s.principal_id = n.id AND NOT s.in_directory;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER org_users_mark_in_directory
  AFTER INSERT ON org_users
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_mark_in_directory();
--> statement-breakpoint
CREATE TRIGGER api_keys_mark_in_directory
  AFTER INSERT ON api_keys
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_mark_in_directory();
--> statement-breakpoint
CREATE TRIGGER service_accounts_mark_in_directory
  AFTER INSERT ON service_accounts
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION steward_mark_in_directory();
--> statement-breakpoint
-- Backfill from whatever was ingested before this migration.
INSERT INTO principal_activity_summary AS s
  (principal_id, principal_type, first_event_at, last_event_at, last_event_type, last_event_day, last_admin_day)
SELECT d.principal_id,
       min(d.principal_type),
       min(d.first_at),
       max(d.last_at),
       (array_agg(d.last_type ORDER BY d.last_at DESC NULLS LAST, d.day DESC))[1],
       max(d.day) FILTER (WHERE d.events > 0),
       max(d.day) FILTER (WHERE d.admin_events > 0)
FROM principal_activity_daily d
GROUP BY d.principal_id
ON CONFLICT (principal_id) DO NOTHING;
--> statement-breakpoint
INSERT INTO principal_activity_summary AS s (principal_id, principal_type, last_usage_day)
SELECT k.api_key_id, 'api_key', max(k.day) FILTER (WHERE k.requests > 0) FROM key_usage_daily k GROUP BY k.api_key_id
ON CONFLICT (principal_id) DO UPDATE SET last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day);
--> statement-breakpoint
INSERT INTO principal_activity_summary AS s (principal_id, principal_type, last_usage_day)
SELECT u.user_id, 'user', max(u.day) FILTER (WHERE u.actions > 0) FROM seat_usage_daily u GROUP BY u.user_id
ON CONFLICT (principal_id) DO UPDATE SET last_usage_day = GREATEST(s.last_usage_day, EXCLUDED.last_usage_day);
--> statement-breakpoint
INSERT INTO principal_activity_recent AS r (principal_id, events)
SELECT d.principal_id, steward_recent_days(jsonb_object_agg(d.day::text, d.events)) FROM principal_activity_daily d GROUP BY d.principal_id
ON CONFLICT (principal_id) DO NOTHING;
--> statement-breakpoint
INSERT INTO principal_activity_recent AS r (principal_id, usage)
SELECT k.api_key_id,
       steward_recent_days(jsonb_object_agg(k.day::text, jsonb_build_array(k.requests, k.input_tokens + k.output_tokens + k.cache_read_tokens + k.cache_creation_tokens)))
FROM key_usage_daily k GROUP BY k.api_key_id
ON CONFLICT (principal_id) DO UPDATE SET usage = EXCLUDED.usage;
--> statement-breakpoint
INSERT INTO principal_activity_recent AS r (principal_id, usage)
SELECT u.user_id, steward_recent_days(jsonb_object_agg(u.day::text, jsonb_build_array(u.actions, 0))) FROM seat_usage_daily u GROUP BY u.user_id
ON CONFLICT (principal_id) DO UPDATE SET usage = EXCLUDED.usage;
--> statement-breakpoint
UPDATE principal_activity_summary SET in_directory = steward_in_directory(principal_id);
--> statement-breakpoint
INSERT INTO privilege_grants (id, granted_at, activity_type, grantee_type, grantee_id, workspace_id, role, previous_role, actor_type, actor_id)
SELECT e.id, e.created_at, e.type, g.grantee_type, g.grantee_id, g.workspace_id, g.role, g.previous_role, e.actor_type, e.actor_id
FROM activity_events e
CROSS JOIN LATERAL steward_privilege_grant_rows(e) g
WHERE g.grantee_id IS NOT NULL
ON CONFLICT (id) DO NOTHING;
