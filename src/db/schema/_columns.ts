import { text, timestamp } from 'drizzle-orm/pg-core';

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Directory rows are never deleted: a principal that disappears from a complete
 * listing gets `removed_at`, and its history stays.
 */
/**
 * The organisation a row belongs to (issue 17): the uuid `GET /v1/organizations/me` answers for
 * its Admin key. `''` is a placeholder: the organisation of the first configured key before it
 * was identified (rows written before issue 17, or before the first check); the check adopts
 * them at start-up, in one transaction with an `organization.adopted` audit row.
 */
export const orgColumn = () => ({ orgId: text('org_id').notNull().default('') });

export const seenColumns = () => ({
  firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
  lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  removedAt: tstz('removed_at'),
});
