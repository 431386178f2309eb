import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/**
 * The approval record of access created after Steward's first complete directory sync
 * (issue 20): who was asked, and their answer — a purpose, a business owner and an
 * optional end date (`attested`), or "I didn't do this" (`disowned`). One row per
 * access, in its organisation (issue 17: one account's admin role in two organisations is
 * two accesses); the DM asking for it is delivered under a lease so replicas send it once.
 */
export const attestations = pgTable(
  'attestations',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    ...orgColumn(),
    /** `api_key`, `user` (an org admin/owner role), `workspace_member` (workspace admin), `admin_api_key`. */
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** What the access is: `api_key`, `org_admin`, `workspace_admin`, `admin_key`. */
    accessKind: text('access_kind').notNull(),
    /** Key name, email, or `email in workspace`: what the DM names. */
    label: text('label').notNull(),
    role: text('role'),
    workspaceId: text('workspace_id'),
    accessCreatedAt: tstz('access_created_at'),
    /** Anthropic user who created or granted it (for a service account's key: the account's owner). */
    creatorUserId: text('creator_user_id'),
    creatorEmail: text('creator_email'),
    /** How the person asked was found: `creator`, `granter`, `service_account_owner`, `holder` (a role held before Steward, granter unknown). */
    askedVia: text('asked_via').notNull(),
    /** `new` (created after the baseline) or `existing` (the policy's daily batches). */
    origin: text('origin').notNull().default('new'),
    /** `pending` | `attested` | `disowned`. */
    status: text('status').notNull().default('pending'),
    requestedAt: tstz('requested_at').notNull(),
    requestedSlackId: text('requested_slack_id'),
    deliveryLeaseUntil: tstz('delivery_lease_until'),
    deliveredAt: tstz('delivered_at'),
    deliveryError: text('delivery_error'),
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    purpose: text('purpose'),
    businessOwnerSlackId: text('business_owner_slack_id'),
    /** `YYYY-MM-DD`, the day the stated purpose ends. */
    endDate: text('end_date'),
    answeredBySlackId: text('answered_by_slack_id'),
    answeredAt: tstz('answered_at'),
    alertChannel: text('alert_channel'),
    alertTs: text('alert_ts'),
  },
  (t) => [
    uniqueIndex('attestations_org_subject_uq').on(t.orgId, t.subjectType, t.subjectId),
    index('attestations_status_idx').on(t.status, t.requestedAt),
  ],
);
