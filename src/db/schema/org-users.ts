import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { seenColumns, tstz } from './_columns.js';

/** Members of the Claude organisation (seats). */
export const orgUsers = pgTable(
  'org_users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    role: text('role').notNull(),
    addedAt: tstz('added_at'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [index('org_users_email_idx').on(t.email)],
);
