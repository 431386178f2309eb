import { jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * A principal's daily counts over its last ~120 active days, so evidence windows
 * (7/30/90 days, 12 weeks) come from one row, read by id for the principals that have
 * findings. Kept apart from `principal_activity_summary` so that table stays narrow.
 * Maintained by the same triggers on the daily roll-ups.
 */
export const principalActivityRecent = pgTable(
  'principal_activity_recent',
  {
    /** As in `principal_activity_summary`: the organisation, '' for activity naming none. */
    orgId: text('org_id').notNull().default(''),
    principalId: text('principal_id').notNull(),
    /** Feed events per UTC day: `{ "YYYY-MM-DD": events }`. */
    events: jsonb('events').$type<Record<string, number>>().notNull().default({}),
    /** Usage per UTC day: `{ "YYYY-MM-DD": [requests or seat actions, tokens] }`. */
    usage: jsonb('usage').$type<Record<string, [number, number]>>().notNull().default({}),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'principal_activity_recent_pk', columns: [t.orgId, t.principalId] })],
);
