import { date, integer, pgTable } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Messages API calls made by Claude assist per UTC day, counted by one conditional
 * upsert per call, so the policy's daily budget holds across every replica.
 */
export const assistCallsDaily = pgTable('assist_calls_daily', {
  day: date('day', { mode: 'string' }).primaryKey(),
  calls: integer('calls').notNull().default(0),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});
