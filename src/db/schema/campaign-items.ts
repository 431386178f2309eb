import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';
import { campaigns } from './campaigns.js';

/**
 * One access certified in a campaign. The review carrying it is a `review_items` row:
 * a certification opened for the campaign, or the review the access already had
 * (`joined`), so nobody gets a second message about the same access.
 */
export const campaignItems = pgTable(
  'campaign_items',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    /** The organisation that holds the access (issue 17): the same id in two organisations is two items. */
    ...orgColumn(),
    /** `seat` | `api_key` | `org_admin` | `workspace_admin` | `workspace_member`. */
    accessKind: text('access_kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** Privileged access goes to a second reviewer, never its subject. */
    privileged: boolean('privileged').notNull().default(false),
    reviewItemId: uuid('review_item_id').notNull(),
    /** `opened` (a certification for this campaign) | `joined` (an open review it already had). */
    via: text('via').notNull(),
    /** Set when the campaign closed with this item undecided: `skipped` | `revoked` | `escalated`. */
    closedAs: text('closed_as'),
    /** Two-level review: the first reviewer's decision, awaiting the approver (see campaigns/approval.ts). */
    firstStep: jsonb('first_step').$type<Record<string, unknown>>(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('campaign_items_access_uq').on(t.campaignId, t.orgId, t.accessKind, t.subjectType, t.subjectId),
    index('campaign_items_review_idx').on(t.reviewItemId),
  ],
);
