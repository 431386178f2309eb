import { timestamp } from 'drizzle-orm/pg-core';

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Directory rows are never deleted: a principal that disappears from a complete
 * listing gets `removed_at`, and its history stays.
 */
export const seenColumns = () => ({
  firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
  lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  removedAt: tstz('removed_at'),
});
