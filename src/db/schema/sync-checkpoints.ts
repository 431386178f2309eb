import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** Where each sync source resumes. Advanced only after the data behind it is committed. */
export const syncCheckpoints = pgTable('sync_checkpoints', {
  source: text('source').primaryKey(),
  cursor: jsonb('cursor').$type<Record<string, unknown>>().notNull(),
  lastCompleteAt: tstz('last_complete_at'),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
