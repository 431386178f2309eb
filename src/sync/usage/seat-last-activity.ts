import { sql } from 'drizzle-orm';
import type { AdminApi } from '../../anthropic/admin-api.js';
import type { SeatActivity } from '../../anthropic/types.js';
import type { Db, Executor } from '../../db/types.js';
import { batches } from '../batches.js';
import { addDays, isDay, maxDay, utcDay } from '../days.js';
import { USAGE_API_EARLIEST } from './plan.js';

/**
 * The ranged form of seat analytics (issue 13 item 7): `client.organization.analytics.users`
 * with `starting_date`/`ending_date` (at most 366 days apart, `ending_date` exclusive and at
 * most today) rolls each member's window up into one row whose `last_activity_date` is "the
 * latest active day from `starting_date` (inclusive) to `ending_date` (exclusive) … omitted
 * while last-activity reporting is not enabled" (SDK 1.16 `AnalyticsUserActivity`,
 * `resources/organization/analytics/users.d.ts`). One paged walk (≤ 1000 members a page)
 * therefore says when every seat was last used over the whole year, where the per-day form
 * needs one walk per day: 365 on a first sync.
 *
 * Its metrics are the window's sums, so they cannot fill the daily table; only the day is
 * kept, as a `seat_usage_daily` row with `actions = 1` ("at least one counted action, count
 * unknown") and `metrics = null`, inserted only where no per-day row exists. The per-day
 * reads that follow replace it with the day's real figures whenever that day is inside their
 * window; beyond it, the row is what carries the seat's last use into
 * `principal_activity_summary.last_usage_day` (the table's trigger), so a seat idle for longer
 * than the per-day window is known to be idle since that day, not "never used".
 */
export const RANGE_MAX_DAYS = 366;

/**
 * The evidence windows (7, 30 and 90 days; 12 weeks) need daily figures this far back; once
 * the ranged pass has given every seat's last active day, the per-day catch-up reads no further.
 */
export const SEAT_DAILY_DAYS = 90;

export interface LastActivityPass {
  /** False when the organisation does not report `last_activity_date`: the per-day reads must cover the backfill. */
  reported: boolean;
  members: number;
  /** Members with a last active day in the window (rows stored or already present). */
  lastActive: number;
  range: { start: string; end: string };
}

/** The widest window the ranged form takes, ending at `end` (exclusive). */
export function rangeFor(end: string, earliest = USAGE_API_EARLIEST): { start: string; end: string } {
  return { start: maxDay(addDays(end, -RANGE_MAX_DAYS), earliest), end };
}

/** Reads each member's last active day over `range` in one paged walk and stores it. */
export async function readLastActivity(
  db: Db,
  admin: AdminApi,
  range: { start: string; end: string },
  now: Date,
  orgId = '',
): Promise<LastActivityPass> {
  const pass: LastActivityPass = { reported: false, members: 0, lastActive: 0, range };
  for await (const batch of batches<SeatActivity>(admin.seatActivityRange(range), 1000)) {
    pass.members += batch.length;
    if (batch.some((s) => s.lastActivityDate !== undefined)) pass.reported = true;
    const days = batch.flatMap((s) =>
      isDay(s.lastActivityDate) && s.lastActivityDate >= range.start && s.lastActivityDate < range.end
        ? [{ u: s.userId, d: s.lastActivityDate }]
        : [],
    );
    pass.lastActive += days.length;
    await db.transaction((tx) => writeLastActiveDays(tx, days, now, orgId));
  }
  return pass;
}

async function writeLastActiveDays(
  tx: Executor,
  days: Array<{ u: string; d: string }>,
  now: Date,
  orgId: string,
): Promise<void> {
  if (!days.length) return;
  await tx.execute(
    sql`insert into seat_usage_daily (org_id, user_id, day, actions, metrics, updated_at)
        select ${orgId}, u, d, 1, null, ${now.toISOString()}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(days)}::jsonb) as x(u text, d date)
        on conflict (org_id, user_id, day) do nothing`,
  );
}

/** Today, as the ranged form's exclusive end may be at most today. */
export const rangeEnd = (now: Date): string => utcDay(now);
