import { z } from 'zod';
import { cron, days, timeZone } from './fields.js';

export const reviewSection = z
  .strictObject({
    due_days: days(7),
    /** Days after a review opens on which its reviewer is reminded (batched per reviewer). */
    reminder_days: z.array(z.number().int().min(1)).max(10).default([3, 6]),
    /** What happens when the due date passes without a decision. */
    timeout: z.enum(['escalate', 'revoke', 'none']).default('escalate'),
    keep_days: z
      .array(z.number().int().min(1).max(3650))
      .min(1, 'must offer at least one duration')
      .max(5)
      .default([30, 90, 180]),
    /**
     * `revoke`: decisions call the Admin API. `notify`: the whole flow runs and people are
     * told, but nothing is revoked ("not revoked, recorded"), for teams starting gently.
     */
    actions: z.enum(['revoke', 'notify']).default('revoke'),
    /** How long a deactivated key can be restored from its message. */
    restore_grace_days: days(7),
    /** Anthropic users → Slack users cache lifetime. */
    slack_lookup_ttl_hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
  })
  .prefault({});

export const scheduleSection = z
  .strictObject({
    timezone: timeZone.default('UTC'),
    sync: cron.default('0 * * * *'),
    correlate: cron.default('30 8 * * *'),
    reminders: cron.default('0 10 * * *'),
    /** Posts the audit chain's head to the security channel, a witness outside the database. */
    audit_witness: cron.default('55 23 * * *'),
  })
  .prefault({});
