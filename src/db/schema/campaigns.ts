import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './_columns.js';

/**
 * A certification campaign (issue 16): every access in one scope reviewed by someone
 * entitled to decide, by a due date. Its items are in `campaign_items`; its audit rows
 * run from `audit_from_seq` (opened) to `audit_to_seq` (closed).
 */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    /** Short number people type (`/steward campaign close 3`). */
    number: integer('number').notNull(),
    /** `seats` | `keys` | `admins` | `workspace:<id>` | `all`. */
    scope: text('scope').notNull(),
    /** `open` | `closed`. */
    status: text('status').notNull().default('open'),
    /** `command` | `schedule` | `cli`. */
    startedVia: text('started_via').notNull(),
    startedBySlackId: text('started_by_slack_id'),
    /** The cron tick that opened a scheduled campaign. */
    scheduledFor: tstz('scheduled_for'),
    startedAt: tstz('started_at').notNull(),
    dueAt: tstz('due_at').notNull(),
    closedAt: tstz('closed_at'),
    closedBySlackId: text('closed_by_slack_id'),
    /** `skip` | `revoke` | `escalate`: what closing did with undecided items. */
    closeMode: text('close_mode'),
    auditFromSeq: bigint('audit_from_seq', { mode: 'number' }),
    auditToSeq: bigint('audit_to_seq', { mode: 'number' }),
    policyVersion: text('policy_version'),
    /** Two-level review: a Slack id or `admins` confirms each reviewer's decision (null: one level). */
    approver: text('approver'),
  },
  (t) => [
    uniqueIndex('campaigns_number_uq').on(t.number),
    uniqueIndex('campaigns_scheduled_uq')
      .on(t.scope, t.scheduledFor)
      .where(sql`${t.scheduledFor} is not null`),
    index('campaigns_status_idx').on(t.status),
  ],
);
