import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** Every policy that has been in force, by content hash, so an audit row's policy can be shown. */
export const policyVersions = pgTable('policy_versions', {
  version: text('version').primaryKey(),
  policy: jsonb('policy').$type<Record<string, unknown>>().notNull(),
  firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
});
