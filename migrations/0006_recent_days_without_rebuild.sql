-- steward_recent_days runs for every principal in every roll-up statement (ingest and
-- usage sync). Rebuilding the object each time was most of the triggers' cost; almost
-- always nothing is old enough to drop, so the input is now returned as it is unless an
-- entry falls outside the 120 days. Same result as before. Keys are ISO dates
-- (`day::text`), so text order in the "C" collation is date order and only the extremes
-- are cast.
CREATE OR REPLACE FUNCTION steward_recent_days(j jsonb) RETURNS jsonb AS $$
DECLARE
  lo text;
  hi text;
  cutoff date;
BEGIN
  SELECT min(k COLLATE "C"), max(k COLLATE "C") INTO lo, hi FROM jsonb_object_keys(j) k;
  IF lo IS NULL THEN
    RETURN '{}'::jsonb;
  END IF;
  cutoff := hi::date - 120;
  IF lo::date > cutoff THEN
    RETURN j;
  END IF;
  RETURN (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) FROM jsonb_each(j) e WHERE e.key::date > cutoff);
END;
$$ LANGUAGE plpgsql IMMUTABLE;
