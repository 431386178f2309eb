import { sql } from 'drizzle-orm';
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/** Someone in the security channel said "this is mine": they become the owner. */
export const claims = pgTable(
  'claims',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** The organisation of the review it was claimed on (issue 17): a claim is about access in one organisation. */
    ...orgColumn(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    claimedBySlackId: text('claimed_by_slack_id').notNull(),
    claimedByEmail: text('claimed_by_email'),
    claimedByUserId: text('claimed_by_user_id'),
    reviewItemId: uuid('review_item_id'),
    claimedAt: tstz('claimed_at').notNull().defaultNow(),
  },
  (t) => [index('claims_subject_idx').on(t.orgId, t.subjectType, t.subjectId, t.claimedAt)],
);
