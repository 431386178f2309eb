import type { AdminApi } from '../../anthropic/admin-api.js';
import { isNotAvailable } from '../../anthropic/errors.js';
import type { SeatActivity } from '../../anthropic/types.js';
import type { Db } from '../../db/types.js';
import { StewardError } from '../../domain/errors.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { batches } from '../batches.js';
import { advanceCheckpoint, readCheckpoint } from '../checkpoints.js';
import { addDays } from '../days.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { advanced, parseUsageCursor, usageWindow } from './plan.js';
import { writeSeatUsage } from './write.js';

export interface SeatUsageIngesterDeps {
  db: Db;
  admin: AdminApi;
  logger: Logger;
  now: () => Date;
  settings: SyncSettings;
}

/** Seat analytics show a day once it is over plus this many days. */
export const SEAT_ANALYTICS_LAG_DAYS = 1;

/**
 * Enterprise seat analytics → `seat_usage_daily`, one day per request set (a range
 * query would sum the days together). Organisations without the endpoint answer 403 or
 * 404: that is "not available", reported as such, and nothing changes.
 */
export function createSeatUsageIngester(deps: SeatUsageIngesterDeps): Ingester {
  const log = deps.logger.child({ source: 'seat_usage' });
  return {
    source: 'seat_usage',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('seat_usage');
      try {
        const stored = await readCheckpoint(deps.db, 'seat_usage');
        let raw = stored?.cursor ?? null;
        let cursor = parseUsageCursor(raw);
        const window = usageWindow(cursor, deps.now(), {
          backfillDays: deps.settings.usageBackfillDays,
          refreshDays: deps.settings.usageRefreshDays,
          lagDays: SEAT_ANALYTICS_LAG_DAYS,
        });
        if (!window) return { status: 'succeeded', counts: tally.counts, notes: ['nothing to read yet'] };
        const total = Math.round((Date.parse(window.end) - Date.parse(window.start)) / 86_400_000);
        let n = 0;
        for (let day = window.start; day < window.end; day = addDays(day, 1)) {
          try {
            for await (const batch of batches<SeatActivity>(deps.admin.seatActivity(day), 1000)) {
              const stored = await deps.db.transaction((tx) => writeSeatUsage(tx, day, batch, deps.now()));
              tally.add('seat_days', stored);
              tally.add('members_read', batch.length);
            }
          } catch (err) {
            if (n === 0 && isNotAvailable(err)) {
              log.info({ code: (err as StewardError).code }, 'seat analytics not available for this organisation');
              return {
                status: 'not_available',
                counts: tally.counts,
                notes: [`seat analytics not available: ${(err as Error).message}`],
              };
            }
            // The newest days may not be published yet ("too recent"): stop there, read them next time.
            if (err instanceof StewardError && err.code === 'anthropic_bad_request' && day >= addDays(window.end, -3)) {
              return {
                status: 'succeeded',
                counts: tally.counts,
                notes: [`seat analytics for ${day} not published yet`],
              };
            }
            throw err;
          }
          const next = advanced(cursor, addDays(day, 1), window);
          await deps.db.transaction((tx) => advanceCheckpoint(tx, 'seat_usage', raw, { ...next }, deps.now()));
          raw = { ...next };
          cursor = next;
          n += 1;
          tally.add('days');
          await ctx.onProgress?.(tally.progress(day, 'members_read', n / total));
        }
        return { status: 'succeeded', counts: tally.counts, notes: [] };
      } catch (err) {
        const error = syncFailure(err, 'seat usage');
        return { status: 'failed', counts: tally.counts, notes: [], error };
      }
    },
  };
}
