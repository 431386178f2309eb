import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, seenColumns, tstz } from './_columns.js';

/** Members of the Claude organisation (seats). */
export const orgUsers = pgTable(
  'org_users',
  {
    ...orgColumn(),
    id: text('id').notNull(),
    email: text('email').notNull(),
    name: text('name'),
    role: text('role').notNull(),
    addedAt: tstz('added_at'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [
    primaryKey({ name: 'org_users_pk', columns: [t.orgId, t.id] }),
    // Lookups by id whatever the organisation (activity names an id; issue 17): the key leads with org_id.
    index('org_users_id_idx').on(t.id),
    index('org_users_email_idx').on(t.email),
  ],
);
