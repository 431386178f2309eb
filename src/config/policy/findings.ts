import { z } from 'zod';
import { days, flag } from './fields.js';

export const findingsSection = z
  .strictObject({
    dormant_seat: z
      .strictObject({
        enabled: flag(),
        days: days(30),
        /**
         * Whether `*_viewed` activities count as use. The feed records them when the app loads
         * content, possibly in the background, so by default they do not keep a seat from dormancy.
         */
        count_views: z.boolean('must be true or false').default(false),
      })
      .prefault({}),
    dormant_key: z.strictObject({ enabled: flag(), days: days(30) }).prefault({}),
    unowned_key: z.strictObject({ enabled: flag() }).prefault({}),
    stale_admin: z.strictObject({ enabled: flag(), days: days(60) }).prefault({}),
    stale_invite: z.strictObject({ enabled: flag(), days: days(14) }).prefault({}),
    /** Access created after Steward's first complete sync whose creator has not attested it within `attest_days`. */
    unattested_access: z.strictObject({ enabled: flag(), attest_days: days(7) }).prefault({}),
  })
  .prefault({});

export const anomaliesSection = z
  .strictObject({
    /**
     * How far back correlation looks for new anomalies (spikes, grants, unknown actors).
     * A few days covers usage data that lags about a day and a missed daily run.
     */
    lookback_days: days(7),
    usage_spike: z
      .strictObject({
        enabled: flag(),
        /** Daily requests above factor × the trailing mean … */
        factor: z.number().gt(1, 'must be greater than 1').default(5),
        /** … of this many previous days … */
        baseline_days: days(14),
        /** … and above this floor, so a key going from 2 to 20 requests is not an alarm. */
        min_requests: z.number().int().min(0).default(1000),
      })
      .prefault({}),
    activity_after_removal: z.strictObject({ enabled: flag() }).prefault({}),
    dormant_resumed: z.strictObject({ enabled: flag() }).prefault({}),
    privilege_grant: z.strictObject({ enabled: flag() }).prefault({}),
    unknown_actor: z.strictObject({ enabled: flag() }).prefault({}),
    /** A person matched to Slack before whose Slack account is deactivated or gone, still holding access. */
    leaver: z.strictObject({ enabled: flag() }).prefault({}),
    /** A key Steward deactivated on a decision, set back to active by someone else. */
    revocation_undone: z.strictObject({ enabled: flag() }).prefault({}),
  })
  .prefault({});
