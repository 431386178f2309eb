import { eq } from 'drizzle-orm';
import { enqueueAction } from '../actions/outbox.js';
import { outboxActions } from '../db/schema/index.js';
import { auditActor, resolveActor } from './actor.js';
import { auditReview, changeReview, UNDECIDED } from './change.js';
import { afterCommit, lockItem, refuseUnlessAllowed, stateRefusal } from './decide.js';
import type { ReviewDeps } from './deps.js';
import { holdingAction, holdingRevocation, leaverHoldings } from './leaver-revocation.js';
import { fail, type ReviewResult } from './result.js';
import { snapshotOf } from './snapshot.js';

export interface RevokeHoldingInput {
  itemId: string;
  actorSlackId: string;
  /** Which access in the alert: its type and id, looked up in the stored evidence. */
  holdingType: string;
  holdingId: string;
}

/**
 * One access of a leaver, revoked from its own button in the alert (issue 20): the same
 * admin check as **Revoke all** (against the stored review; refusals audited), one outbox
 * action with the idempotency key Revoke all would use, and an audit row, in one
 * transaction under the review's row lock. A second click, a Slack retry or another replica
 * finds the action there and does nothing. When every access has its action, the alert
 * is decided (revoke, by whoever made the last click).
 */
export async function revokeHolding(deps: ReviewDeps, input: RevokeHoldingInput): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const now = deps.now();
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const item = await lockItem(tx, input.itemId);
    if (!item || item.kind !== 'leaver') return fail('not_found', 'This leaver alert no longer exists.');
    const refused = await refuseUnlessAllowed(deps, tx, item, actor, 'revoke', now);
    if (refused) return refused;
    const state = stateRefusal(item);
    if (state) return state;
    const actions = await tx.select().from(outboxActions).where(eq(outboxActions.reviewItemId, item.id));
    const { evidence } = snapshotOf(item, actions, deps.policy.policy);
    const holdings = leaverHoldings(evidence);
    const holding = holdings.find((h) => h.type === input.holdingType && h.id === input.holdingId);
    const planned = holding ? holdingRevocation(holding, evidence) : null;
    if (!holding || !planned) return fail('not_found', 'The alert does not list that access.');
    const existing = holdingAction(holding, evidence, actions);
    if (existing)
      return fail(
        'already_decided',
        `Already under way: ${holding.label} (${existing.requestedBySlackId ? `<@${existing.requestedBySlackId}>` : 'Steward'}).`,
      );
    const action = await enqueueAction(tx, planned, { reviewItemId: item.id, requestedBySlackId: actor.slackId, now });
    const who = { actor: auditActor(actor), at: now };
    await auditReview(tx, deps, who, item, {
      action: 'review.holding_revoked',
      outcome: 'revoke',
      details: {
        holding: { type: holding.type, id: holding.id, label: holding.label },
        action: { kind: planned.kind, target: planned.targetId },
        actionId: action.id,
        via: 'message',
      },
    });
    const all = [...actions, action];
    const left = holdings.filter((h) => !holdingAction(h, evidence, all));
    if (left.length === 0) {
      const decided = await changeReview(
        tx,
        item.id,
        UNDECIDED,
        { status: 'decided', decision: 'revoke', decidedBySlackId: actor.slackId, decidedAt: now },
        now,
        { newVersion: true },
      );
      if (decided)
        await auditReview(tx, deps, who, item, {
          action: 'review.decided',
          outcome: 'revoke',
          evidence: item.evidenceShown,
          details: { decision: 'revoke', via: 'per_item', why: 'every access listed has been revoked one by one' },
        });
    }
    return { ok: true, review: snapshotOf(item, all, deps.policy.policy) };
  });
  return afterCommit(deps, result, true);
}
