import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { seenColumns, tstz } from './_columns.js';

export const workspaces = pgTable('workspaces', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: tstz('created_at'),
  archivedAt: tstz('archived_at'),
  raw: jsonb('raw').$type<Record<string, unknown>>(),
  ...seenColumns(),
});
