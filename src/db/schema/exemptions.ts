import { sql } from 'drizzle-orm';
import { index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/** "Do not review this subject (for this kind of finding) until …, because …". */
export const exemptions = pgTable(
  'exemptions',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /**
     * The organisation it is about (issue 17), or '' for every organisation (unlike the
     * directory's placeholder, never adopted: before issue 17 there was one organisation).
     */
    orgId: text('org_id').notNull().default(''),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Null means every kind of finding. */
    findingKind: text('finding_kind'),
    reason: text('reason').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    /** `policy` (from the policy file) or the Slack id of whoever added it. */
    source: text('source').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [index('exemptions_subject_idx').on(t.orgId, t.subjectType, t.subjectId)],
);
