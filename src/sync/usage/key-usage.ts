import type { AdminApi } from '../../anthropic/admin-api.js';
import type { KeyUsageDay } from '../../anthropic/types.js';
import type { Db } from '../../db/types.js';
import { syncFailure } from '../failure.js';
import type { Logger } from '../../log.js';
import { batches } from '../batches.js';
import { advanceCheckpoint, readCheckpoint } from '../checkpoints.js';
import type { SyncSettings } from '../settings.js';
import { Tally } from '../tally.js';
import type { IngestContext, Ingester, IngestResult } from '../types.js';
import { advanced, chunks, parseUsageCursor, usageWindow } from './plan.js';
import { writeKeyUsage } from './write.js';

export interface KeyUsageIngesterDeps {
  db: Db;
  admin: AdminApi;
  logger: Logger;
  now: () => Date;
  settings: SyncSettings;
}

/** The usage report spans at most 31 days per request. */
export const USAGE_REPORT_MAX_DAYS = 31;

/**
 * Usage report grouped by `api_key_id` in daily buckets → `key_usage_daily` (and the
 * keys' requests/tokens in `principal_activity_daily`). Read in ≤31-day chunks from
 * the checkpoint (or the backfill bound) to yesterday, re-reading the refresh window;
 * rows are replaced, so re-reading is harmless. The checkpoint moves after each chunk.
 */
export function createKeyUsageIngester(deps: KeyUsageIngesterDeps): Ingester {
  const log = deps.logger.child({ source: 'key_usage' });
  return {
    source: 'key_usage',
    async run(ctx: IngestContext = {}): Promise<IngestResult> {
      const tally = new Tally('key_usage');
      try {
        const stored = await readCheckpoint(deps.db, 'key_usage');
        let raw = stored?.cursor ?? null;
        let cursor = parseUsageCursor(raw);
        const window = usageWindow(cursor, deps.now(), {
          backfillDays: deps.settings.usageBackfillDays,
          refreshDays: deps.settings.usageRefreshDays,
          lagDays: 1,
        });
        if (!window) return { status: 'succeeded', counts: tally.counts, notes: ['nothing to read yet'] };
        const parts = chunks(window.start, window.end, USAGE_REPORT_MAX_DAYS);
        for (const [i, part] of parts.entries()) {
          log.debug({ part }, 'key usage: reading');
          for await (const batch of batches<KeyUsageDay>(deps.admin.keyUsage(part), 1000)) {
            await deps.db.transaction((tx) => writeKeyUsage(tx, batch, deps.now()));
            tally.add('key_days', batch.length);
          }
          const next = advanced(cursor, part.end, window);
          await deps.db.transaction((tx) => advanceCheckpoint(tx, 'key_usage', raw, { ...next }, deps.now()));
          raw = { ...next };
          cursor = next;
          tally.add('requests');
          await ctx.onProgress?.(tally.progress(`${part.start}..${part.end}`, 'key_days', (i + 1) / parts.length));
        }
        return { status: 'succeeded', counts: tally.counts, notes: [] };
      } catch (err) {
        const error = syncFailure(err, 'key usage');
        return { status: 'failed', counts: tally.counts, notes: [], error };
      }
    },
  };
}
