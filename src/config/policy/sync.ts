import { z } from 'zod';
import { days, flag } from './fields.js';

export const syncSection = z
  .strictObject({
    /** How far back the first sync reads the Compliance activity feed. */
    activity_backfill_days: days(365),
    /**
     * Each incremental feed pass re-reads this many minutes before the last one's end,
     * so activities indexed late are still caught (duplicates are dropped by id).
     */
    activity_overlap_minutes: z
      .number()
      .int('must be a whole number of minutes')
      .min(1, 'must be at least 1 minute')
      .max(1440)
      .default(10),
    /** How far back the first sync reads key usage and seat activity (the API keeps at most 365 days). */
    usage_backfill_days: days(365),
    /** Recent days of usage re-read on every sync, because the API revises them. */
    usage_refresh_days: days(7),
    /**
     * The mass-change brake: a listing that would mark more than `percent` of its known
     * rows removed, and at least `at_least` of them, applies no removals until an admin accepts.
     */
    removal_brake: z
      .strictObject({
        percent: z.number().min(0).max(100).default(20),
        at_least: z.number().int().min(1).default(5),
      })
      .prefault({}),
    /**
     * Share of the organisation's Compliance API rate limit (600 requests a minute, shared by every
     * reader of the feed) Steward takes per window, leaving the rest to others such as a SIEM.
     */
    feed_rate_share: z
      .number('must be a number')
      .gt(0, 'must be more than 0')
      .max(1, 'must be at most 1 (the whole budget)')
      .default(0.5),
    /**
     * The most time windows a first catch-up of the activity feed reads at once (1: one cursor,
     * sequentially). Fewer are read when the round trip and `feed_rate_share` do not need them;
     * each holds a database connection while it stores a batch.
     */
    catchup_parallel: z
      .number('must be a number')
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(16, 'must be at most 16')
      .default(4),
  })
  .prefault({});

/** Joiner–mover–leaver (issue 20): attestation at creation, leavers. */
export const lifecycleSection = z
  .strictObject({
    /** Ask whoever creates a key or grants an admin role to attest it (purpose, business owner, end date). */
    attest: flag(),
    /**
     * Access that existed before Steward's first complete sync is not attested, unless this
     * is above 0: then that many existing accesses a day are (campaigns cover the rest).
     */
    attest_existing_per_day: z.number().int().min(0).max(1000).default(0),
    /** A leaver's access: `alert` the security channel (Revoke all), or `revoke` it all and then alert. */
    leaver: z.enum(['alert', 'revoke']).default('alert'),
  })
  .prefault({});
