import type { KeyUsageDay } from '../../anthropic/types.js';
import type { Ingester } from '../types.js';
import { createUsageIngester, type UsageIngesterDeps } from './ingester.js';
import { chunks } from './plan.js';
import { writeKeyUsage } from './write.js';

/** The usage report spans at most 31 days per request. */
export const USAGE_REPORT_MAX_DAYS = 31;

/**
 * Usage report grouped by `api_key_id` in daily buckets → `key_usage_daily`, read in
 * ≤31-day chunks up to yesterday.
 */
export function createKeyUsageIngester(deps: UsageIngesterDeps): Ingester {
  return createUsageIngester<KeyUsageDay>(deps, {
    source: 'key_usage',
    what: 'key usage',
    lagDays: 1,
    parts: (w) => chunks(w.start, w.end, USAGE_REPORT_MAX_DAYS),
    read: (admin, part) => admin.keyUsage(part),
    async store(tx, _part, batch, now) {
      await writeKeyUsage(tx, batch, now, deps.orgId);
      return { key_days: batch.length };
    },
    phase: (part) => `${part.start}..${part.end}`,
    partCounter: 'requests',
    rateOf: 'key_days',
  });
}
