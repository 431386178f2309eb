import { sql } from 'drizzle-orm';
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** A "Keep" decision: the access is certified until `valid_until`, then review re-opens. */
export const certifications = pgTable(
  'certifications',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    fingerprint: text('fingerprint').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    reviewItemId: uuid('review_item_id'),
    reason: text('reason').notNull(),
    certifiedBySlackId: text('certified_by_slack_id'),
    validUntil: tstz('valid_until').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [index('certifications_fingerprint_idx').on(t.fingerprint, t.validUntil)],
);
