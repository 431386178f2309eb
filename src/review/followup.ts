import { and, eq, isNull, lte, sql } from 'drizzle-orm';
import { queryRows } from '../db/client.js';
import { reviewItems } from '../db/schema/index.js';
import { auditReview, changeReview, UNDECIDED } from './change.js';
import type { ReviewDeps } from './deps.js';
import { decideAs, safely } from './decide.js';
import { loadSnapshots } from './snapshot.js';
import { reminderDue } from './timing.js';

export interface FollowUpResult {
  reminded: number;
  reviewersReminded: number;
  escalated: number;
  timedOutRevoked: number;
  closed: number;
}

/**
 * The daily pass: remind reviewers (one message each, listing their reviews), escalate
 * or act on overdue reviews per the timeout policy, and close reviews whose finding
 * went away on its own. Each step claims rows with a conditional UPDATE before talking
 * to Slack, so a re-run or a second replica never sends the same reminder twice.
 */
export async function followUp(deps: ReviewDeps): Promise<FollowUpResult> {
  const result: FollowUpResult = { reminded: 0, reviewersReminded: 0, escalated: 0, timedOutRevoked: 0, closed: 0 };
  Object.assign(result, await closeResolved(deps));
  Object.assign(result, await remind(deps));
  Object.assign(result, await handleOverdue(deps));
  return result;
}

export async function remind(deps: ReviewDeps): Promise<Pick<FollowUpResult, 'reminded' | 'reviewersReminded'>> {
  const now = deps.now();
  const policy = deps.policy.policy;
  const open = await deps.db
    .select()
    .from(reviewItems)
    .where(and(eq(reviewItems.status, 'open'), eq(reviewItems.route, 'dm')));
  const due = open.filter((i) => i.assigneeSlackId && reminderDue(i, policy, now));
  const byReviewer = new Map<string, typeof due>();
  for (const i of due) byReviewer.set(i.assigneeSlackId!, [...(byReviewer.get(i.assigneeSlackId!) ?? []), i]);

  let reminded = 0;
  let reviewers = 0;
  for (const [slackId, items] of byReviewer) {
    // Claim first (count the reminder), then send: a crash loses a reminder, never doubles one.
    const claimed = await deps.db.transaction(async (tx) => {
      const ids: string[] = [];
      for (const i of items) {
        const row = await changeReview(
          tx,
          i.id,
          and(eq(reviewItems.status, 'open'), eq(reviewItems.remindersSent, i.remindersSent)),
          { remindersSent: i.remindersSent + 1, lastRemindedAt: now },
          now,
        );
        if (!row) continue;
        ids.push(row.id);
        await auditReview(tx, deps, { actor: { type: 'system', job: 'reminders' }, at: now }, i, {
          action: 'review.reminded',
          outcome: 'reminded',
          details: { reminder: i.remindersSent + 1, assigneeSlackId: slackId, dueAt: i.dueAt.toISOString() },
        });
      }
      return ids;
    });
    if (claimed.length === 0) continue;
    const snapshots = await loadSnapshots(deps.db, claimed, policy);
    try {
      await deps.notifier.remind(slackId, snapshots);
      reminded += claimed.length;
      reviewers++;
    } catch (err) {
      deps.logger.error({ err, slackUser: slackId }, 'could not send a reminder');
    }
  }
  return { reminded, reviewersReminded: reviewers };
}

export async function handleOverdue(deps: ReviewDeps): Promise<Pick<FollowUpResult, 'escalated' | 'timedOutRevoked'>> {
  const now = deps.now();
  const timeout = deps.policy.policy.review.timeout;
  if (timeout === 'none') return { escalated: 0, timedOutRevoked: 0 };
  const overdue = await deps.db
    .select()
    .from(reviewItems)
    .where(and(eq(reviewItems.status, 'open'), lte(reviewItems.dueAt, now), isNull(reviewItems.escalatedAt)));
  let escalated = 0;
  let revoked = 0;
  for (const item of overdue) {
    const claimed = await deps.db.transaction(async (tx) => {
      const row = await changeReview(
        tx,
        item.id,
        and(eq(reviewItems.status, 'open'), isNull(reviewItems.escalatedAt)),
        { escalatedAt: now },
        now,
      );
      if (row) {
        await auditReview(tx, deps, { actor: { type: 'system', job: 'timeouts' }, at: now }, item, {
          action: timeout === 'revoke' ? 'review.timeout' : 'review.escalated',
          outcome: timeout === 'revoke' ? 'revoke' : 'escalated',
          details: { dueAt: item.dueAt.toISOString(), assigneeSlackId: item.assigneeSlackId, timeoutPolicy: timeout },
        });
      }
      return row;
    });
    if (!claimed) continue;
    if (timeout === 'revoke') {
      const r = await decideAs(
        deps,
        { itemId: item.id, actorSlackId: 'system', decision: 'revoke', via: 'timeout' },
        'system',
      );
      if (r.ok) {
        revoked++;
        continue;
      }
      // Nothing revocable (e.g. an unknown actor): fall back to escalating it.
    }
    const [snap] = await loadSnapshots(deps.db, [item.id], deps.policy.policy);
    if (!snap) continue;
    try {
      const ref = await deps.notifier.escalate(snap);
      await deps.db
        .update(reviewItems)
        .set({ escalationChannel: ref.channel, escalationTs: ref.ts })
        .where(eq(reviewItems.id, item.id));
      escalated++;
    } catch (err) {
      deps.logger.error(
        { err, reviewItemId: item.id },
        'could not post an escalation; it will not be retried automatically',
      );
    }
    await safely(
      deps,
      async () => deps.notifier.refresh((await loadSnapshots(deps.db, [item.id], deps.policy.policy))[0]!),
      item.id,
    );
  }
  return { escalated, timedOutRevoked: revoked };
}

/** Reviews whose finding resolved by itself (the key got used, the person left …) close. */
export async function closeResolved(deps: ReviewDeps): Promise<Pick<FollowUpResult, 'closed'>> {
  const now = deps.now();
  const rows = await queryRows<{ id: string; resolution: string | null }>(
    deps.db,
    sql`select r.id::text as id, f.resolution from review_items r join findings f on f.id = r.finding_id
        where r.status in ('pending', 'open') and f.status = 'resolved'`,
  );
  if (rows.length === 0) return { closed: 0 };
  const closedIds = await deps.db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const r of rows) {
      const reason = closeReason(r.resolution);
      const row = await changeReview(tx, r.id, UNDECIDED, { status: 'closed', closedReason: reason }, now, {
        newVersion: true,
      });
      if (!row) continue;
      ids.push(row.id);
      await auditReview(tx, deps, { actor: { type: 'system', job: 'review' }, at: now }, row, {
        action: 'review.closed',
        outcome: 'closed',
        details: { resolution: r.resolution, reason },
      });
    }
    return ids;
  });
  for (const s of await loadSnapshots(deps.db, closedIds, deps.policy.policy)) {
    if (s.item.slackChannel) await safely(deps, () => deps.notifier.refresh(s), s.item.id);
  }
  return { closed: closedIds.length };
}

const CLOSE_REASONS: Record<string, string> = {
  no_longer_dormant: 'it is in use again',
  key_inactive: 'the key is no longer active',
  principal_removed: 'the access was removed',
  owner_found: 'an owner is now on record',
  admin_role_removed: 'the admin role was removed',
  admin_active: 'the admin is active again',
  invite_closed: 'the invite was accepted or withdrawn',
  exempted: 'an exemption now covers it',
  certified: 'it was certified',
  rule_disabled: 'the policy no longer checks this',
  attested: 'its creator attested it',
};

export function closeReason(resolution: string | null): string {
  return (resolution && CLOSE_REASONS[resolution]) ?? 'the finding no longer holds';
}
