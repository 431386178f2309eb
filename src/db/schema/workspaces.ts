import { jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, seenColumns, tstz } from './_columns.js';

export const workspaces = pgTable(
  'workspaces',
  {
    ...orgColumn(),
    id: text('id').notNull(),
    name: text('name').notNull(),
    createdAt: tstz('created_at'),
    archivedAt: tstz('archived_at'),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    ...seenColumns(),
  },
  (t) => [primaryKey({ name: 'workspaces_pk', columns: [t.orgId, t.id] })],
);
