import type { Logger } from '../../log.js';
import type { HeldRemovals } from './alerts.js';
import { markAlerted } from './brake.js';
import type { DirectoryIngesterDeps } from './ingester.js';
import type { ListingRun } from './listing.js';
import { rejectionKey } from './validate.js';

/** After the commits: the security channel hears of new holds and of records not reported before. */
export async function tell(
  deps: DirectoryIngesterDeps,
  log: Logger,
  alerts: HeldRemovals[],
  holds: number[],
  run: ListingRun,
  fresh: Set<string>,
  now: Date,
): Promise<void> {
  if (!deps.alerts) return;
  for (const [i, a] of alerts.entries()) {
    try {
      await deps.alerts.removalsHeld(a);
      await markAlerted(deps.db, holds[i]!, now);
    } catch (err) {
      log.warn(
        { err, listing: a.listing },
        'could not alert the security channel about held removals; the next sync tries again',
      );
    }
  }
  const news = run.rejected.filter((r) => fresh.has(rejectionKey(r)));
  if (!news.length) return;
  try {
    await deps.alerts.recordsSkipped(news);
  } catch (err) {
    log.warn({ err }, 'could not alert the security channel about malformed directory records');
  }
}
