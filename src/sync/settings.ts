import type { Policy } from '../config/policy.js';

export interface SyncSettings {
  /** How far back the first feed pass reads. */
  activityBackfillMs: number;
  /** Incremental passes restart this long before the previous pass's end. */
  activityOverlapMs: number;
  /**
   * Feed windows end this long before now: activities become visible up to a minute
   * after `created_at`, and the docs ask for `created_at.lt` at least a minute back.
   */
  activitySettleMs: number;
  usageBackfillDays: number;
  usageRefreshDays: number;
  /**
   * Claude Code use is read one day per request and only matters for dormancy, so the first sync
   * reads back as far as the longest dormancy threshold plus the refresh window, not a year.
   */
  claudeCodeBackfillDays: number;
  /** `sync.feed_rate_share`: the part of the Compliance API budget Steward takes (sizes a parallel catch-up). */
  feedRateShare: number;
  /** `sync.catchup_parallel`: the most catch-up windows read at once. */
  catchupParallel: number;
}

export const ACTIVITY_SETTLE_MS = 60_000;

export function syncSettings(policy: Pick<Policy, 'sync'> & Partial<Pick<Policy, 'findings'>>): SyncSettings {
  const s = policy.sync;
  const f = policy.findings;
  const horizon = Math.max(f?.dormant_seat.days ?? 30, f?.dormant_key.days ?? 30) + s.usage_refresh_days;
  return {
    activityBackfillMs: s.activity_backfill_days * 86_400_000,
    activityOverlapMs: s.activity_overlap_minutes * 60_000,
    activitySettleMs: ACTIVITY_SETTLE_MS,
    usageBackfillDays: s.usage_backfill_days,
    usageRefreshDays: s.usage_refresh_days,
    claudeCodeBackfillDays: Math.min(s.usage_backfill_days, horizon),
    feedRateShare: s.feed_rate_share,
    catchupParallel: s.catchup_parallel,
  };
}
