import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, seenColumns, tstz } from './_columns.js';

export const invites = pgTable(
  'invites',
  {
    ...orgColumn(),
    id: text('id').notNull(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    status: text('status').notNull(),
    invitedAt: tstz('invited_at'),
    expiresAt: tstz('expires_at'),
    acceptedAt: tstz('accepted_at'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [primaryKey({ name: 'invites_pk', columns: [t.orgId, t.id] }), index('invites_status_idx').on(t.status)],
);
