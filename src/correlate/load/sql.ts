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

/** The summary columns, prefixed `s_`, from a principal's activity joined as `s` (`summaryJoin`). */
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

/**
 * `<column> = <the pass's organisation>` (issue 17), or `true` when the loader reads every
 * organisation (`LoadParams.org` null). `column` is a trusted column reference such as `u.org_id`.
 */
export function orgIs(column: string, org: string | null): SQL {
  return org === null ? sql`true` : sql`${sql.raw(column)} = ${org}`;
}

/**
 * A principal's activity in a pass (issue 17), joined as `s` for the principal id `principal`,
 * with every column `SUMMARY_COLUMNS` and the loaders read: in organisation X, its summary row
 * (X, P) and its org-less row ('', P) merged (first event the earliest, last days and times the
 * latest, the last event's type from the later of the two, listed if either says so), through
 * two hash joins and a projection, no aggregate per row. In the unidentified pass ('') and the
 * inventory (null): every row of P whatever its organisation, grouped (as before issue 17);
 * when no row names an organisation (`orgless`) that is the one '' row, joined directly.
 */
export function summaryJoin(principal: SQL, org: string | null, orgless: boolean): SQL {
  if (orgless) return sql`left join principal_activity_summary s on s.org_id = '' and s.principal_id = ${principal}`;
  if (org === null || org === '') return sql`left join (${mergedSummaries()}) s on s.principal_id = ${principal}`;
  return sql`left join principal_activity_summary s1 on s1.org_id = ${org} and s1.principal_id = ${principal}
    left join principal_activity_summary s0 on s0.org_id = '' and s0.principal_id = ${principal}
    cross join lateral (select ${PAIR_COLUMNS}) s`;
}

/** (X, P) as `s1` and ('', P) as `s0`, merged into the summary's columns. */
const PAIR_COLUMNS = sql.raw(`coalesce(s1.principal_id, s0.principal_id) as principal_id,
  coalesce(s1.principal_type, s0.principal_type) as principal_type,
  least(s1.first_event_at, s0.first_event_at) as first_event_at,
  greatest(s1.last_event_at, s0.last_event_at) as last_event_at,
  case when s0.last_event_at is null or s1.last_event_at >= s0.last_event_at then coalesce(s1.last_event_type, s0.last_event_type)
       else s0.last_event_type end as last_event_type,
  greatest(s1.last_event_day, s0.last_event_day) as last_event_day,
  greatest(s1.last_use_day, s0.last_use_day) as last_use_day,
  greatest(s1.last_admin_day, s0.last_admin_day) as last_admin_day,
  greatest(s1.last_usage_day, s0.last_usage_day) as last_usage_day,
  coalesce(s1.in_directory, false) or coalesce(s0.in_directory, false) as in_directory`);

/** Every principal's summary rows, whatever organisation they name, merged into one per principal. */
export function mergedSummaries(where: SQL = sql`true`): SQL {
  return sql`select principal_id, min(principal_type) as principal_type, min(first_event_at) as first_event_at,
      max(last_event_at) as last_event_at,
      (array_agg(last_event_type order by last_event_at desc nulls last))[1] as last_event_type,
      max(last_event_day) as last_event_day, max(last_use_day) as last_use_day, max(last_admin_day) as last_admin_day,
      max(last_usage_day) as last_usage_day, bool_or(in_directory) as in_directory
    from principal_activity_summary where ${where} group by principal_id`;
}

/**
 * Which activity rows (the feed's tables and their summaries) a pass reads for a principal
 * (issue 17): its organisation's and the org-less ones (sign-ins, API calls, Compliance API
 * reads name no organisation); every row for the unidentified pass ('') and the inventory (null).
 */
export function activityRowsOf(column: string, org: string | null): SQL {
  return org === null || org === '' ? sql`true` : sql`${sql.raw(column)} in (${org}, '')`;
}
