import { eq, sql } from 'drizzle-orm';
import { enqueueAction } from '../actions/outbox.js';
import { certifications, findings, reviewItems } from '../db/schema/index.js';
import type { Tx } from '../db/types.js';
import { auditActor, resolveActor, type Actor } from './actor.js';
import { authorise, type ReviewOp } from './authorise.js';
import { afterFirstStep, approvalOf, loadApproval, refuseSelfApproval, sendForApproval } from './campaigns/approval.js';
import { campaignKeepOptions, certifyUntil, type KeepChoice } from './campaigns/keep.js';
import { isCampaignSelfReview } from './campaigns/self-review.js';
import { auditReview, changeReview, UNDECIDED } from './change.js';
import type { ReviewDeps } from './deps.js';
import type { MessageRef } from './notifier.js';
import { presentationOf } from './presentation.js';
import { fail, type ReviewResult } from './result.js';
import { revocationFor } from './revocation.js';
import { leaverExtraRevocations } from './leaver-revocation.js';
import { loadSnapshot, messageOf, shownIn, snapshotOf, type ReviewItem } from './snapshot.js';
import { addDays, keepUntil } from './timing.js';

export type Decision = 'keep' | 'revoke' | 'acknowledge';

export interface DecideInput {
  itemId: string;
  actorSlackId: string;
  decision: Decision;
  reason?: string;
  keepDays?: number;
  /** A campaign item's other Keep durations (until the next run, until a date); wins over keepDays. */
  keepChoice?: KeepChoice;
  /** Where the click came from: `message`, `home`, `escalation`, `timeout`. */
  via: string;
  /**
   * The message the click was made on. Slack shows a message before its post returns, so a
   * click can come while the delivery is still recording where the message is: the review
   * then has no stored message yet, and this is the one its outcome is shown on.
   */
  message?: MessageRef | null;
}

/** An acknowledged anomaly stays quiet this long (its fingerprint is day-specific anyway). */
const ACKNOWLEDGE_DAYS = 365;
export const MIN_REASON = 3;
/**
 * The longest reason Steward stores (it goes into the review, the certification and the
 * append-only audit log). The Keep modal shows the same limit; the Slack client enforces
 * it there, and Steward enforces it here for whatever reaches it.
 */
export const MAX_REASON = 500;

/**
 * The one atomic decision: lock the review, check who may decide against the stored
 * assignment, and move it from open to decided in one conditional UPDATE together with
 * the certification or the outbox action and the audit row. A second click, a Slack
 * retry or another replica finds it decided and is told by whom.
 */
export async function decide(deps: ReviewDeps, input: DecideInput): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  return decideAs(deps, input, actor);
}

export async function decideAs(deps: ReviewDeps, input: DecideInput, actor: Actor | 'system'): Promise<ReviewResult> {
  const now = deps.now();
  const policy = deps.policy.policy;
  // Two-level review: a first step hands the review to its approver instead of deciding.
  let firstStep: { oldRef: MessageRef | null; bySlackId: string } | null = null;
  let unrecorded: MessageRef | null = null;
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const item = await lockItem(tx, input.itemId);
    if (!item) return fail('not_found', 'This review no longer exists.');
    if (!item.slackTs) unrecorded = messageOf(item, input.message);
    const presentation = presentationOf(item.kind, item.route);
    const approval = actor === 'system' ? null : await loadApproval(tx, item.id);
    if (actor !== 'system') {
      const refused = await refuseUnlessAllowed(deps, tx, item, actor, input.decision, now);
      if (refused) return refused;
      if (approval?.first?.bySlackId === actor.slackId && item.status !== 'decided')
        return refuseSelfApproval(deps, tx, item, actor, input.decision, now);
    }
    const state = stateRefusal(item);
    if (state) return state;

    const evidence = snapshotOf(item, [], policy).evidence;
    let reason = input.reason?.trim() ?? null;
    let until: Date | null = null;
    if (reason && reason.length > MAX_REASON)
      return fail('invalid', `Keep the reason to ${MAX_REASON} characters or fewer.`, { field: 'reason' });
    if (input.decision === 'keep') {
      if (presentation === 'anomaly') return fail('invalid', 'Security alerts are acknowledged, not kept.');
      if (!reason || reason.length < MIN_REASON)
        return fail('invalid', `Say why this access is still needed (at least ${MIN_REASON} characters).`, {
          field: 'reason',
        });
      if (input.keepChoice) {
        const options = campaignKeepOptions(evidence, policy, now);
        const chosen = certifyUntil(input.keepChoice, options, policy, now);
        if ('error' in chosen) return fail('invalid', chosen.error, { field: chosen.field });
        until = chosen.until;
      } else until = keepUntil(now, input.keepDays ?? -1, policy);
      if (!until)
        return fail('invalid', `Keep for one of: ${policy.review.keep_days.join(', ')} days.`, { field: 'duration' });
    }
    if (input.decision === 'acknowledge') {
      if (presentation !== 'anomaly') return fail('invalid', 'Only security alerts are acknowledged.');
      until = addDays(now, ACKNOWLEDGE_DAYS);
      reason = reason || 'acknowledged';
    }
    const planned = input.decision === 'revoke' ? revocationFor(evidence) : null;
    if (input.decision === 'revoke' && !planned)
      return fail('invalid', 'There is nothing Steward can revoke for this item through the Admin API.');

    if (actor !== 'system' && approval && !approval.first && input.decision !== 'acknowledge') {
      const staged = await sendForApproval(
        deps,
        tx,
        item,
        actor,
        approval,
        { decision: input.decision, reason, until, via: input.via },
        now,
      );
      if (staged.result.ok) firstStep = { oldRef: staged.oldRef ?? unrecorded, bySlackId: actor.slackId };
      return staged.result;
    }
    const decidedBy = actor === 'system' ? null : actor.slackId;
    // The leaver policy revokes as itself (issue 20); any other system revoke is the timeout policy's.
    const byLeaverPolicy = actor === 'system' && input.via === 'leaver_policy';
    const decision =
      actor === 'system' && input.decision === 'revoke' && !byLeaverPolicy ? 'timeout_revoke' : input.decision;
    const updated = await changeReview(
      tx,
      item.id,
      UNDECIDED,
      { status: 'decided', decision, decidedBySlackId: decidedBy, decidedAt: now, reason, keepUntil: until },
      now,
      { newVersion: true },
    );
    if (!updated) return fail('already_decided', 'This review has already been decided.');

    if (until) {
      await tx.insert(certifications).values({
        fingerprint: item.fingerprint,
        subjectType: item.subjectType,
        subjectId: item.subjectId,
        reviewItemId: item.id,
        reason: reason!,
        certifiedBySlackId: decidedBy,
        validUntil: until,
        createdAt: now,
      });
      await tx
        .update(findings)
        .set({ status: 'resolved', resolvedAt: now, resolution: 'certified' })
        .where(sql`${findings.id} = ${item.findingId} and ${findings.status} = 'open'`);
    }
    if (planned) await enqueueAction(tx, planned, { reviewItemId: item.id, requestedBySlackId: decidedBy, now });
    // A leaver's Revoke all: their keys too, each its own outbox action.
    if (planned)
      for (const extra of leaverExtraRevocations(evidence))
        await enqueueAction(tx, extra, { reviewItemId: item.id, requestedBySlackId: decidedBy, now });

    const job = input.via === 'campaign_close' ? 'campaign-close' : byLeaverPolicy ? 'leaver-policy' : 'review-timeout';
    const who = actor === 'system' ? { type: 'system' as const, job } : auditActor(actor);
    await auditReview(tx, deps, { actor: who, at: now }, item, {
      action: 'review.decided',
      outcome: decision,
      evidence: item.evidenceShown,
      details: {
        decision,
        reason,
        keepUntil: until?.toISOString() ?? null,
        keepDays: input.decision === 'keep' ? input.keepDays : null,
        ...(input.decision === 'keep' && input.keepChoice ? { keepChoice: input.keepChoice } : {}),
        action: planned ? { kind: planned.kind, target: planned.targetId } : null,
        via: input.via,
        assigneeSlackId: item.assigneeSlackId,
        ...(approval?.first ? { firstStep: approval.first, approval: approvalOf(approval.first, decision) } : {}),
      },
    });
    return { ok: true, review: snapshotOf(updated, [], policy) };
  });
  const staged = firstStep as { oldRef: MessageRef | null; bySlackId: string } | null;
  if (result.ok && staged) return afterFirstStep(deps, input.itemId, staged.oldRef, staged.bySlackId);
  return afterCommit(deps, result, input.decision === 'revoke', unrecorded);
}

/**
 * Refreshes the message(s) from stored state once the change is committed. `unrecorded`:
 * the message a click came from while its delivery was still being recorded (see
 * DecideInput.message), shown instead when the review has none stored.
 */
export async function afterCommit(
  deps: ReviewDeps,
  result: ReviewResult,
  enqueued: boolean,
  unrecorded: MessageRef | null = null,
): Promise<ReviewResult> {
  const id = result.review?.item.id;
  if (!id) return result;
  const fresh = await loadSnapshot(deps.db, id, deps.policy.policy);
  if (!fresh) return result;
  if (result.ok) {
    if (enqueued) deps.onActionEnqueued?.();
    const shown = shownIn(fresh, unrecorded);
    await safely(deps, () => deps.notifier.refresh(shown), id);
    return { ok: true, review: fresh };
  }
  return { ...result, review: fresh };
}

export async function lockItem(tx: Tx, id: string): Promise<ReviewItem | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [item] = await tx.select().from(reviewItems).where(eq(reviewItems.id, id)).for('update');
  return item;
}

/** Refusals are audited, in the same transaction, and the review is left unchanged. */
export async function refuseUnlessAllowed(
  deps: ReviewDeps,
  tx: Tx,
  item: ReviewItem,
  actor: Actor,
  op: ReviewOp,
  now: Date,
): Promise<ReviewResult | undefined> {
  const auth = authorise({
    op,
    presentation: presentationOf(item.kind, item.route),
    assigneeSlackId: item.assigneeSlackId,
    decidedBySlackId: item.decidedBySlackId,
    askedSlackId: item.askedSlackId,
    actorSlackId: actor.slackId,
    actorIsAdmin: deps.admins.includes(actor.slackId),
    actorIsMember: actor.anthropicUserId !== null && !actor.isBot && !actor.deleted,
    selfReview: await isCampaignSelfReview(tx, item, actor),
  });
  if (auth.allowed) return undefined;
  await auditReview(tx, deps, { actor: auditActor(actor), at: now }, item, {
    action: 'review.refused',
    outcome: 'refused',
    details: { attempted: op, why: auth.why, assigneeSlackId: item.assigneeSlackId },
  });
  deps.logger.warn(
    { reviewItemId: item.id, slackUser: actor.slackId, op },
    'refused a review action from someone not allowed',
  );
  return fail('not_allowed', auth.why, { review: snapshotOf(item, [], deps.policy.policy) });
}

/** Decided or closed reviews take no more decisions; the answer says what happened. */
export function stateRefusal(item: ReviewItem): ReviewResult | undefined {
  if (item.status === 'decided') {
    const who = item.decidedBySlackId
      ? `<@${item.decidedBySlackId}>`
      : item.kind === 'leaver'
        ? 'Steward (leaver policy)'
        : 'Steward (timeout policy)';
    return fail('already_decided', `Already decided: ${describeDecision(item.decision)} by ${who}.`);
  }
  if (item.status === 'closed')
    return fail('closed', `No longer needed: ${item.closedReason ?? 'the finding was resolved'}.`);
  return undefined;
}

export function describeDecision(d: string | null): string {
  switch (d) {
    case 'keep':
      return 'kept';
    case 'revoke':
      return 'revoked';
    case 'timeout_revoke':
      return 'revoked when the review timed out';
    case 'acknowledge':
      return 'acknowledged';
    default:
      return d ?? 'decided';
  }
}

export async function safely(deps: ReviewDeps, fn: () => Promise<unknown>, reviewItemId: string): Promise<void> {
  try {
    await fn();
  } catch (err) {
    deps.logger.error({ err, reviewItemId }, 'could not update the review message in Slack');
  }
}
