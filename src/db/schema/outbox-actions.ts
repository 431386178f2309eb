import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { orgColumn, tstz } from './_columns.js';

/**
 * Durable queue of access-removing actions. Workers claim rows with
 * `FOR UPDATE SKIP LOCKED`; the idempotency key makes a re-run harmless.
 */
export const outboxActions = pgTable(
  'outbox_actions',
  {
    ...orgColumn(),
    id: uuid('id')
      .primaryKey()
      .default(sql`gen_random_uuid()`),
    reviewItemId: uuid('review_item_id'),
    /** deactivate_key | restore_key | remove_member | lower_workspace_role | lower_org_role | delete_invite | archive_service_account */
    kind: text('kind').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: text('idempotency_key').notNull(),
    /** pending | running | succeeded | failed | dry_run | cancelled */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lockedBy: text('locked_by'),
    lockedUntil: tstz('locked_until'),
    lastError: text('last_error'),
    result: jsonb('result').$type<Record<string, unknown>>(),
    requestedBySlackId: text('requested_by_slack_id'),
    createdAt: tstz('created_at').notNull().defaultNow(),
    completedAt: tstz('completed_at'),
  },
  (t) => [
    uniqueIndex('outbox_actions_idempotency_uq').on(t.idempotencyKey),
    index('outbox_actions_ready_idx').on(t.status, t.nextAttemptAt),
  ],
);
