import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { seenColumns, tstz } from './_columns.js';

export const invites = pgTable(
  'invites',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    role: text('role').notNull(),
    status: text('status').notNull(),
    invitedAt: tstz('invited_at'),
    expiresAt: tstz('expires_at'),
    acceptedAt: tstz('accepted_at'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [index('invites_status_idx').on(t.status)],
);
