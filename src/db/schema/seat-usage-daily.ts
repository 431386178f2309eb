import { date, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/** Per-user daily activity from the Enterprise analytics endpoint, where available. */
export const seatUsageDaily = pgTable(
  'seat_usage_daily',
  {
    ...orgColumn(),
    userId: text('user_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** Sum of the countable actions in the day's metrics (messages, sessions …). */
    actions: integer('actions').notNull().default(0),
    metrics: jsonb('metrics').$type<unknown>(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'seat_usage_daily_pk', columns: [t.orgId, t.userId, t.day] })],
);
