import { pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * Claude assist's readings (summaries and triages), one per fingerprint of the facts and
 * prompt they were written from, so a reminder, a re-delivery or a second replica never
 * pays for the same reading twice. Only readings Claude wrote are kept; the template
 * text costs nothing to make again.
 */
export const assistReadings = pgTable('assist_readings', {
  fingerprint: text('fingerprint').primaryKey(),
  /** `summary` | `triage`. */
  kind: text('kind').notNull(),
  model: text('model').notNull(),
  text: text('text').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
});
