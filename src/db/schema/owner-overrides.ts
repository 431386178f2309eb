import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** "This key / service account belongs to …", from the policy file or an admin. */
export const ownerOverrides = pgTable(
  'owner_overrides',
  {
    /**
     * The organisation it is about (issue 17), or '' for every organisation (unlike the
     * directory's placeholder, never adopted: before issue 17 there was one organisation).
     */
    orgId: text('org_id').notNull().default(''),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    ownerEmail: text('owner_email'),
    ownerSlackId: text('owner_slack_id'),
    source: text('source').notNull(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'owner_overrides_pk', columns: [t.orgId, t.subjectType, t.subjectId] })],
);
