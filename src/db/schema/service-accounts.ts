import { index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, seenColumns, tstz } from './_columns.js';

export const serviceAccounts = pgTable(
  'service_accounts',
  {
    ...orgColumn(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    status: text('status'),
    createdAt: tstz('created_at'),
    createdById: text('created_by_id'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [
    primaryKey({ name: 'service_accounts_pk', columns: [t.orgId, t.id] }),
    // Lookups by id whatever the organisation (activity names an id; issue 17): the key leads with org_id.
    index('service_accounts_id_idx').on(t.id),
  ],
);
