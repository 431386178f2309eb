import { bigint, date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Per principal (user, API key, service account, or any other actor id) per UTC day,
 * maintained by ingest in the same transaction as the events, so correlation never
 * scans raw events.
 */
export const principalActivityDaily = pgTable(
  'principal_activity_daily',
  {
    /** The organisation of the activities counted (see `activity_events.org_id`; '' for none named). */
    orgId: text('org_id').notNull().default(''),
    principalId: text('principal_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    principalType: text('principal_type').notNull(),
    events: integer('events').notNull().default(0),
    /** Events that were administrative (role changes, key management, invites …). */
    adminEvents: integer('admin_events').notNull().default(0),
    /**
     * Events that were `*_viewed`: the app loaded content, possibly in the background (documented),
     * so they are kept apart from use (`findings.dormant_seat.count_views`).
     */
    viewEvents: integer('view_events').notNull().default(0),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
    firstAt: tstz('first_at'),
    lastAt: tstz('last_at'),
    lastType: text('last_type'),
  },
  (t) => [primaryKey({ name: 'principal_activity_daily_pk', columns: [t.orgId, t.principalId, t.day] })],
);
