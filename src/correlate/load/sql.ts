import { sql, type SQL } from 'drizzle-orm';
import type { ActivitySummary } from '../types.js';

/**
 * A list of strings as one parameter (sent as JSON), for `column in ${valuesIn(ids)}`:
 * thousands of ids without thousands of bind parameters, and as a sub-select the
 * planner can hash or drive an index with (a `= any(array)` filter would compare every
 * row with every element).
 */
export function valuesIn(values: Iterable<string>): SQL {
  return sql`(select jsonb_array_elements_text(${JSON.stringify([...values])}::jsonb))`;
}

/** Times leave the database as epoch milliseconds: one number per value on either driver. */
export function ms(column: SQL): SQL {
  return sql`(extract(epoch from ${column}) * 1000)::float8`;
}

export function toDate(v: unknown): Date | null {
  return v === null || v === undefined ? null : new Date(Number(v));
}

export function toNumber(v: unknown): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** A column as text: text as it came, numbers (bigint may come as either) as digits. */
export function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return v instanceof Date ? v.toISOString() : JSON.stringify(v);
}

/** A jsonb value, whichever driver returned it (parsed, or as text). */
export function jsonOf<T>(v: unknown): T {
  if (v === null || v === undefined) return {} as T;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/**
 * `principal_activity_summary` as one row per principal, whatever organisations its rows
 * belong to (issue 17: a principal has a row per organisation its activity and usage named,
 * and one, '', for activity naming none), merged by the triggers' own rules: earliest
 * first, latest last, the type of the latest, listed if any organisation lists it.
 */
export const MERGED_SUMMARY = sql`(select principal_id,
    min(principal_type) as principal_type,
    min(first_event_at) as first_event_at,
    max(last_event_at) as last_event_at,
    (array_agg(last_event_type order by last_event_at desc nulls last))[1] as last_event_type,
    max(last_event_day) as last_event_day,
    max(last_use_day) as last_use_day,
    max(last_admin_day) as last_admin_day,
    max(last_usage_day) as last_usage_day,
    bool_or(in_directory) as in_directory
  from principal_activity_summary group by principal_id)`;

/** The summary columns, prefixed `s_`, from a join on `principal_activity_summary s` (or `MERGED_SUMMARY s`). */
export const SUMMARY_COLUMNS = sql`
  (s.principal_id is not null) as s_present,
  ${ms(sql`s.first_event_at`)} as s_first,
  ${ms(sql`s.last_event_at`)} as s_last,
  s.last_event_type as s_type,
  s.last_event_day::text as s_day,
  s.last_use_day::text as s_use,
  s.last_admin_day::text as s_admin,
  s.last_usage_day::text as s_usage`;

export function summaryOf(row: Record<string, unknown>): ActivitySummary | null {
  if (!row.s_present) return null;
  return {
    firstEventAt: toDate(row.s_first),
    lastEventAt: toDate(row.s_last),
    lastEventType: toText(row.s_type),
    lastEventDay: toText(row.s_day),
    lastUseDay: toText(row.s_use),
    lastAdminDay: toText(row.s_admin),
    lastUsageDay: toText(row.s_usage),
    // Filled in by loadRecentCounts for the principals that were loaded.
    recentEvents: {},
    recentUsage: {},
  };
}

/**
 * "Idle since a day at most `cut`": every activity day known is on or before the cut,
 * and so is the start (`since`, a timestamp: before the next day begins, in UTC).
 * Written without per-row time-zone conversion, which would cost more than the join.
 */
export function idleThrough(cut: string, days: SQL[], since: SQL): SQL {
  const next = new Date(Date.parse(`${cut}T00:00:00.000Z`) + 86_400_000).toISOString();
  return sql.join(
    [...days.map((d) => sql`(${d} is null or ${d} <= ${cut}::date)`), sql`${since} < ${next}::timestamptz`],
    sql` and `,
  );
}

/** A timestamp column's UTC day, for day arithmetic that does not depend on the session time zone. */
export function utcDate(column: SQL): SQL {
  return sql`((${column}) at time zone 'UTC')::date`;
}
