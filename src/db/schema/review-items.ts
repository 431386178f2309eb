import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';
import { findings } from './findings.js';

/**
 * One review of one finding, assigned to one accountable reviewer. At most one item
 * per fingerprint is ever unresolved (a partial unique index enforces it), and the
 * decision is a single conditional UPDATE, so the first decision wins.
 */
export const reviewItems = pgTable(
  'review_items',
  {
    ...orgColumn(),
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** Null for a certification (a campaign's review of access no finding is about, issue 16). */
    findingId: uuid('finding_id').references(() => findings.id),
    fingerprint: text('fingerprint').notNull(),
    kind: text('kind').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    /** `pending` (not yet delivered) | `open` | `decided` | `closed` (resolved without decision). */
    status: text('status').notNull().default('pending'),
    /** `dm` to the reviewer, or `security_channel` when no reviewer can be reached. */
    route: text('route').notNull(),
    assigneeUserId: text('assignee_user_id'),
    assigneeEmail: text('assignee_email'),
    assigneeSlackId: text('assignee_slack_id'),
    /** Why this reviewer: principal, creator, override, claim, reassigned, holder. */
    assignedVia: text('assigned_via'),
    dueAt: tstz('due_at').notNull(),
    /** `keep` | `revoke` | `acknowledge` | `timeout_revoke` … */
    decision: text('decision'),
    decidedBySlackId: text('decided_by_slack_id'),
    decidedAt: tstz('decided_at'),
    reason: text('reason'),
    keepUntil: tstz('keep_until'),
    evidenceShown: jsonb('evidence_shown').$type<Record<string, unknown>>(),
    /** Where the review message is: the reviewer's DM, or the security channel. */
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    deliveredAt: tstz('delivered_at'),
    /** A replica delivering this item holds it until then (crash → another retries after). */
    deliveryLeaseUntil: tstz('delivery_lease_until'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    deliveryError: text('delivery_error'),
    /** The overdue notice in the security channel. */
    escalationChannel: text('escalation_channel'),
    escalationTs: text('escalation_ts'),
    /** Anomalies: the "was this you?" DM to the owner, and the answer. */
    askedSlackId: text('asked_slack_id'),
    askChannel: text('ask_channel'),
    askTs: text('ask_ts'),
    ownerAnswer: text('owner_answer'),
    remindersSent: integer('reminders_sent').notNull().default(0),
    lastRemindedAt: tstz('last_reminded_at'),
    escalatedAt: tstz('escalated_at'),
    closedReason: text('closed_reason'),
    version: integer('version').notNull().default(0),
    createdAt: tstz('created_at').notNull().defaultNow(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('review_items_unresolved_fingerprint_uq')
      .on(t.orgId, t.fingerprint)
      .where(sql`${t.status} in ('pending', 'open')`),
    index('review_items_status_due_idx').on(t.status, t.dueAt),
    index('review_items_assignee_idx').on(t.assigneeSlackId, t.status),
    index('review_items_finding_idx').on(t.findingId),
  ],
);
