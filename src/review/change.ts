import { and, eq, sql, type SQL } from 'drizzle-orm';
import { appendAudit, type AuditActor } from '../audit/append.js';
import { reviewItems } from '../db/schema/index.js';
import type { Executor } from '../db/types.js';
import type { ReviewDeps } from './deps.js';
import type { ReviewItem } from './snapshot.js';

/** A review nobody has decided yet (and that is not closed). */
export const UNDECIDED = sql`${reviewItems.status} in ('open', 'pending')`;

export type ReviewChange = Partial<Omit<typeof reviewItems.$inferInsert, 'id' | 'updatedAt' | 'version'>>;

/**
 * Changes one review only while `guard` still holds, in one conditional UPDATE, so of
 * two writers racing (double clicks, Slack retries, replicas, a job) the first wins and
 * the second finds nothing to change. `newVersion` marks a change of what the review's
 * message shows (its state or assignee). Returns the changed row, or undefined.
 */
export async function changeReview(
  tx: Executor,
  id: string,
  guard: SQL | undefined,
  set: ReviewChange,
  at: Date,
  opts: { newVersion?: boolean } = {},
): Promise<ReviewItem | undefined> {
  const [row] = await tx
    .update(reviewItems)
    .set({ ...set, updatedAt: at, ...(opts.newVersion ? { version: sql`${reviewItems.version} + 1` } : {}) })
    .where(guard ? and(eq(reviewItems.id, id), guard) : eq(reviewItems.id, id))
    .returning();
  return row;
}

/** What an audit row about a review says happened; who, when and under which policy come separately. */
export interface ReviewEvent {
  action: string;
  outcome: string;
  details?: Record<string, unknown> | null;
  /** The evidence as shown when it happened. */
  evidence?: Record<string, unknown> | null;
}

/** The review (or outbox row) an audit row is about: its id and its subject. */
export type ReviewRef = Pick<ReviewItem, 'subjectType' | 'subjectId'> & { id: string | null; orgId?: string };

/**
 * The audit row of a change to a review, written in the transaction that makes the
 * change, with the policy in force.
 */
export async function auditReview(
  tx: Executor,
  deps: Pick<ReviewDeps, 'policy'>,
  who: { actor: AuditActor; at: Date },
  item: ReviewRef | null,
  event: ReviewEvent,
): Promise<void> {
  await appendAudit(tx, {
    ...event,
    actor: who.actor,
    subject: item ? { type: item.subjectType, id: item.subjectId } : null,
    reviewItemId: item?.id ?? null,
    // The organisation that holds the access (issue 17), when the review knows it.
    orgId: item?.orgId || null,
    policyVersion: deps.policy.version,
    at: who.at,
  });
}

/**
 * The fields that hand a review to a new assignee for a fresh delivery (a hand-over, a
 * campaign's second step): a new message, with delivery, reminders and escalation reset.
 */
export function freshDelivery(to: {
  route: 'dm' | 'security_channel';
  slackId: string | null;
  email: string | null;
  userId: string | null;
  via: string;
  shown: Record<string, unknown>;
}) {
  return {
    status: 'pending' as const,
    route: to.route,
    assigneeSlackId: to.slackId,
    assigneeEmail: to.email,
    assigneeUserId: to.userId,
    assignedVia: to.via,
    evidenceShown: to.shown,
    slackChannel: null,
    slackTs: null,
    deliveredAt: null,
    deliveryLeaseUntil: null,
    deliveryAttempts: 0,
    remindersSent: 0,
    escalatedAt: null,
  };
}
