import { sql } from 'drizzle-orm';
import { boolean, date, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * One narrow row per principal (user, API key, service account or any other actor id):
 * the latest activity ever seen, so "no activity for N days" is provable for any N
 * without scanning daily history, and whether the directory lists it. Correlation scans
 * it on every run, so it holds no wide columns (the daily counts are in
 * `principal_activity_recent`). Maintained by database triggers on the daily roll-ups
 * (`principal_activity_daily`, `key_usage_daily`, `seat_usage_daily`) and the directory
 * tables, in the same statement that writes them; ingest never writes it directly.
 */
export const principalActivitySummary = pgTable(
  'principal_activity_summary',
  {
    /**
     * The organisation (issue 17): a usage roll-up's, or the activities' (`activity_events.org_id`).
     * '' holds activity that names no organisation (and all of it from before issue 17): it
     * counts for the principal in every organisation, so correlation merges a principal's
     * row of its organisation with its '' row.
     */
    orgId: text('org_id').notNull().default(''),
    principalId: text('principal_id').notNull(),
    /** As the first roll-up that named it said: a feed actor type, `api_key` or `user`. */
    principalType: text('principal_type').notNull(),
    /** From the Compliance activity feed. */
    firstEventAt: tstz('first_event_at'),
    lastEventAt: tstz('last_event_at'),
    lastEventType: text('last_event_type'),
    lastEventDay: date('last_event_day', { mode: 'string' }),
    /** Last UTC day with a feed event that was not a `*_viewed` (a background load is not use). */
    lastUseDay: date('last_use_day', { mode: 'string' }),
    /** Last UTC day with an administrative event. */
    lastAdminDay: date('last_admin_day', { mode: 'string' }),
    /** Last UTC day with usage: API requests for a key, seat actions for a user, Claude Code sessions for either. */
    lastUsageDay: date('last_usage_day', { mode: 'string' }),
    /** Whether this organisation's directory lists this id (any organisation's, for ''); false: an unknown actor (so far). */
    inDirectory: boolean('in_directory').notNull().default(false),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'principal_activity_summary_pk', columns: [t.orgId, t.principalId] }),
    index('principal_activity_summary_unknown_idx')
      .on(t.principalId)
      .where(sql`not ${t.inDirectory}`),
  ],
);
