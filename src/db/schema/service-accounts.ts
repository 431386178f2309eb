import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { seenColumns, tstz } from './_columns.js';

export const serviceAccounts = pgTable('service_accounts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  status: text('status'),
  createdAt: tstz('created_at'),
  createdById: text('created_by_id'),
  raw: jsonb('raw').$type<Record<string, unknown>>(),
  ...seenColumns(),
});
