import { isNotAvailable } from '../../anthropic/errors.js';
import type { SeatActivity } from '../../anthropic/types.js';
import { isStewardError } from '../../domain/errors.js';
import { readCheckpoint } from '../checkpoints.js';
import { addDays } from '../days.js';
import { syncFailure } from '../failure.js';
import type { Ingester, IngestResult } from '../types.js';
import { checkpointOf, createUsageIngester, type UsageIngesterDeps, type UsagePart } from './ingester.js';
import { rangeEnd, rangeFor, readLastActivity, SEAT_DAILY_DAYS } from './seat-last-activity.js';
import { writeSeatUsage } from './write.js';

/** Seat analytics show a day once it is over plus this many days. */
export const SEAT_ANALYTICS_LAG_DAYS = 1;

const SOURCE = 'seat_usage' as const;

/**
 * Enterprise seat analytics → `seat_usage_daily`. Organisations without the endpoint answer 403
 * or 404: that is "not available", reported as such, and nothing changes.
 *
 * Two forms of the same endpoint serve two needs. The daily table (evidence windows: counts over
 * 7, 30 and 90 days) needs one day per request set, since a range sums its days together. Dormancy
 * only needs each seat's last active day, which the ranged form gives for up to 366 days in one
 * paged walk (`seat-last-activity.ts`). So the first sync (no checkpoint yet) makes that one ranged
 * walk and, when the organisation reports `last_activity_date`, reads per day only the last
 * `SEAT_DAILY_DAYS` (or the policy's backfill, if shorter) instead of a year of days; later syncs
 * go on per day from the checkpoint, which keeps every new day's figures.
 */
export function createSeatUsageIngester(deps: UsageIngesterDeps): Ingester {
  const log = deps.logger.child({ source: SOURCE });
  return {
    source: SOURCE,
    async run(ctx = {}): Promise<IngestResult> {
      let backfillDays = deps.settings.usageBackfillDays;
      const counts: Record<string, number> = {};
      const notes: string[] = [];
      if ((await readCheckpoint(deps.db, checkpointOf(SOURCE, deps))) === null) {
        try {
          const pass = await readLastActivity(
            deps.db,
            deps.admin,
            rangeFor(rangeEnd(deps.now())),
            deps.now(),
            deps.orgId ?? '',
          );
          counts['range_members_read'] = pass.members;
          counts['last_active_days'] = pass.lastActive;
          if (pass.reported) backfillDays = Math.min(backfillDays, SEAT_DAILY_DAYS);
          else if (pass.members > 0)
            notes.push('seat analytics do not report last_activity_date here: read day by day over the backfill');
          log.info({ ...pass, backfillDays }, 'seat analytics: last active day per member over the year, in one range');
        } catch (err) {
          if (isNotAvailable(err)) return notAvailable(err, log);
          return { status: 'failed', counts, notes, error: syncFailure(err, 'seat usage') };
        }
      }
      const daily = await perDay({ ...deps, settings: { ...deps.settings, usageBackfillDays: backfillDays } }).run(ctx);
      for (const [name, n] of Object.entries(counts)) daily.counts[name] = (daily.counts[name] ?? 0) + n;
      return { ...daily, notes: [...notes, ...daily.notes] };
    },
  };
}

function notAvailable(err: unknown, log: UsageIngesterDeps['logger']): IngestResult {
  log.info({ code: isStewardError(err) ? err.code : null }, 'seat analytics not available for this organisation');
  return {
    status: 'not_available',
    counts: {},
    notes: [`seat analytics not available: ${err instanceof Error ? err.message : String(err)}`],
  };
}

/** The per-day reads, from the checkpoint (or the backfill bound) to the last published day. */
function perDay(deps: UsageIngesterDeps): Ingester {
  return createUsageIngester<SeatActivity>(deps, {
    source: SOURCE,
    what: 'seat usage',
    lagDays: SEAT_ANALYTICS_LAG_DAYS,
    parts(w) {
      const days: UsagePart[] = [];
      for (let day = w.start; day < w.end; day = addDays(day, 1)) days.push({ start: day, end: addDays(day, 1) });
      return days;
    },
    read: (admin, part) => admin.seatActivity(part.start),
    async store(tx, part, batch, now) {
      return {
        seat_days: await writeSeatUsage(tx, part.start, batch, now, deps.orgId),
        members_read: batch.length,
      };
    },
    phase: (part) => part.start,
    partCounter: 'days',
    rateOf: 'members_read',
    settle(err, part, index, window, log) {
      if (index === 0 && isNotAvailable(err)) return notAvailable(err, log);
      // The newest days may not be published yet ("too recent"): stop there, read them next time.
      if (isStewardError(err) && err.code === 'anthropic_bad_request' && part.start >= addDays(window.end, -3))
        return { status: 'succeeded', notes: [`seat analytics for ${part.start} not published yet`] };
      return undefined;
    },
  });
}
