import { isNotAvailable } from '../../anthropic/errors.js';
import type { SeatActivity } from '../../anthropic/types.js';
import { isStewardError } from '../../domain/errors.js';
import { addDays } from '../days.js';
import type { Ingester } from '../types.js';
import { createUsageIngester, type UsageIngesterDeps, type UsagePart } from './ingester.js';
import { writeSeatUsage } from './write.js';

/** Seat analytics show a day once it is over plus this many days. */
export const SEAT_ANALYTICS_LAG_DAYS = 1;

/**
 * Enterprise seat analytics → `seat_usage_daily`, one day per request set (a range
 * query would sum the days together). Organisations without the endpoint answer 403 or
 * 404: that is "not available", reported as such, and nothing changes.
 */
export function createSeatUsageIngester(deps: UsageIngesterDeps): Ingester {
  return createUsageIngester<SeatActivity>(deps, {
    source: 'seat_usage',
    what: 'seat usage',
    lagDays: SEAT_ANALYTICS_LAG_DAYS,
    parts(w) {
      const days: UsagePart[] = [];
      for (let day = w.start; day < w.end; day = addDays(day, 1)) days.push({ start: day, end: addDays(day, 1) });
      return days;
    },
    read: (admin, part) => admin.seatActivity(part.start),
    async store(tx, part, batch, now) {
      return { seat_days: await writeSeatUsage(tx, part.start, batch, now), members_read: batch.length };
    },
    phase: (part) => part.start,
    partCounter: 'days',
    rateOf: 'members_read',
    settle(err, part, index, window, log) {
      if (index === 0 && isNotAvailable(err)) {
        log.info({ code: isStewardError(err) ? err.code : null }, 'seat analytics not available for this organisation');
        return {
          status: 'not_available',
          notes: [`seat analytics not available: ${err instanceof Error ? err.message : String(err)}`],
        };
      }
      // The newest days may not be published yet ("too recent"): stop there, read them next time.
      if (isStewardError(err) && err.code === 'anthropic_bad_request' && part.start >= addDays(window.end, -3))
        return { status: 'succeeded', notes: [`seat analytics for ${part.start} not published yet`] };
      return undefined;
    },
  });
}
