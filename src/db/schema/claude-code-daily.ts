import { date, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/**
 * Claude Code use per principal per UTC day, from the Claude Code usage report: a user (named by
 * email there) or an API key (named by its name there), resolved to ids through the directory.
 * A trigger folds it into `principal_activity_summary.last_usage_day`, so a key or seat used only
 * through Claude Code is not dormant.
 */
export const claudeCodeDaily = pgTable(
  'claude_code_daily',
  {
    ...orgColumn(),
    principalId: text('principal_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** `user` | `api_key`. */
    principalType: text('principal_type').notNull(),
    sessions: integer('sessions').notNull().default(0),
    /** The report's records for this principal and day, as sent. */
    raw: jsonb('raw').$type<unknown[]>(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'claude_code_daily_pk', columns: [t.orgId, t.principalId, t.day] })],
);
