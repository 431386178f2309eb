import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client.js';
import { campaignItems } from '../../db/schema/index.js';
import type { Tx } from '../../db/types.js';
import type { Evidence } from '../../domain/evidence.js';
import { auditActor, type Actor } from '../actor.js';
import { auditReview, changeReview, freshDelivery, UNDECIDED } from '../change.js';
import { deliverPending } from '../deliver.js';
import type { ReviewDeps } from '../deps.js';
import type { MessageRef } from '../notifier.js';
import { fail, type ReviewResult } from '../result.js';
import { loadSnapshot, snapshotOf, type ReviewItem } from '../snapshot.js';

/**
 * Two-level review (issue 16): in a campaign whose scope the policy gives an `approver`,
 * the reviewer's Keep or Revoke is a first step, stored on the campaign item; the review
 * then goes to the approver (that person, or a Steward admin), who confirms it or decides
 * otherwise with the same buttons. Each step is audited; the first reviewer may not
 * approve their own decision. System decisions (timeouts, a campaign's close) are one step.
 */

export interface FirstStep {
  decision: 'keep' | 'revoke';
  bySlackId: string;
  at: string;
  reason: string | null;
  keepUntil: string | null;
  /** Who was asked to confirm (null: nobody eligible, the security channel's admins). */
  approverSlackId: string | null;
}

export const SELF_APPROVAL_REFUSAL =
  'You made the first decision on this item: someone else confirms or overrides it (two-level review).';

/**
 * The approver for an item: the named person, or one of the Steward admins shared out by
 * a stable hash; never whoever decided first or the holder of the access. Null: nobody left.
 */
export function chooseApprover(
  approver: string,
  admins: readonly string[],
  exclude: ReadonlyArray<string | null>,
  key: string,
): string | null {
  const pool = [...new Set(approver === 'admins' ? admins : [approver])].filter((id) => !exclude.includes(id)).sort();
  if (pool.length === 0) return null;
  return pool[createHash('sha256').update(key).digest().readUInt32BE(0) % pool.length]!;
}

/** Whether the approver's decision confirms the first step or overrides it. */
export const approvalOf = (first: Pick<FirstStep, 'decision'>, decision: string): 'confirmed' | 'overridden' =>
  first.decision === decision ? 'confirmed' : 'overridden';

export interface Approval {
  campaignItemId: string;
  approver: string;
  first: FirstStep | null;
}

/** The two-level state of a review in an open campaign with an approver; null when it has one level. */
export async function loadApproval(tx: Tx, reviewItemId: string): Promise<Approval | null> {
  const [row] = await queryRows<{ id: string; approver: string; first_step: unknown }>(
    tx,
    sql`select ci.id::text as id, c.approver, ci.first_step from campaign_items ci join campaigns c on c.id = ci.campaign_id
        where ci.review_item_id = ${reviewItemId}::uuid and c.status = 'open' and c.approver is not null
        order by c.number desc limit 1`,
  );
  if (!row) return null;
  const first = typeof row.first_step === 'string' ? JSON.parse(row.first_step) : row.first_step;
  return { campaignItemId: row.id, approver: row.approver, first: (first as FirstStep | null) ?? null };
}

/** Refuses, and audits, an approver step by the person who made the first one. */
export async function refuseSelfApproval(
  deps: ReviewDeps,
  tx: Tx,
  item: ReviewItem,
  actor: Actor,
  op: string,
  now: Date,
): Promise<ReviewResult> {
  await auditReview(tx, deps, { actor: auditActor(actor), at: now }, item, {
    action: 'review.refused',
    outcome: 'refused',
    details: { attempted: op, why: SELF_APPROVAL_REFUSAL, assigneeSlackId: item.assigneeSlackId, twoLevel: true },
  });
  return fail('not_allowed', SELF_APPROVAL_REFUSAL, { review: snapshotOf(item, [], deps.policy.policy) });
}

/**
 * The first step: stored on the campaign item, the review handed to the approver (a new
 * DM, the first message saying where it went), audited as `review.first_decision`.
 */
export async function sendForApproval(
  deps: ReviewDeps,
  tx: Tx,
  item: ReviewItem,
  actor: Actor,
  approval: Approval,
  step: { decision: 'keep' | 'revoke'; reason: string | null; until: Date | null; via: string },
  now: Date,
): Promise<{ result: ReviewResult; oldRef: MessageRef | null }> {
  const evidence = item.evidenceShown as unknown as Evidence;
  const approverSlackId = chooseApprover(
    approval.approver,
    deps.admins,
    [actor.slackId, evidence.campaign?.holderSlackId ?? null],
    item.id,
  );
  const first: FirstStep = {
    decision: step.decision,
    bySlackId: actor.slackId,
    at: now.toISOString(),
    reason: step.reason,
    keepUntil: step.until?.toISOString() ?? null,
    approverSlackId,
  };
  await tx
    .update(campaignItems)
    .set({ firstStep: first as unknown as Record<string, unknown> })
    .where(sql`${campaignItems.id} = ${approval.campaignItemId}::uuid`);
  const said =
    step.decision === 'keep' ? `*Keep* until ${first.keepUntil!.slice(0, 10)} (“${step.reason}”)` : '*Revoke*';
  const shown: Evidence = {
    ...evidence,
    rule: `${evidence.rule} First review: <@${actor.slackId}> chose ${said}. Confirm it, or decide otherwise.`,
  };
  const updated = await changeReview(
    tx,
    item.id,
    UNDECIDED,
    freshDelivery({
      route: approverSlackId ? 'dm' : 'security_channel',
      slackId: approverSlackId,
      email: null,
      userId: null,
      via: 'approver',
      shown: shown as unknown as Record<string, unknown>,
    }),
    now,
    { newVersion: true },
  );
  if (!updated) return { result: fail('already_decided', 'This review has already been decided.'), oldRef: null };
  await auditReview(tx, deps, { actor: auditActor(actor), at: now }, item, {
    action: 'review.first_decision',
    outcome: step.decision,
    evidence: item.evidenceShown,
    details: { ...first, via: step.via, assigneeSlackId: item.assigneeSlackId },
  });
  const oldRef = item.slackChannel && item.slackTs ? { channel: item.slackChannel, ts: item.slackTs } : null;
  return { result: { ok: true, review: snapshotOf(updated, [], deps.policy.policy) }, oldRef };
}

/** After the first step commits: the old message says where it went, the approver gets it. */
export async function afterFirstStep(
  deps: ReviewDeps,
  itemId: string,
  oldRef: MessageRef | null,
  bySlackId: string,
): Promise<ReviewResult> {
  const fresh = await loadSnapshot(deps.db, itemId, deps.policy.policy);
  if (!fresh) return fail('not_found', 'This review no longer exists.');
  if (oldRef)
    try {
      await deps.notifier.handedOver(oldRef, fresh, { bySlackId, how: 'approval' });
    } catch (err) {
      deps.logger.warn({ err, reviewItemId: itemId }, 'could not update the first reviewer’s message');
    }
  await deliverPending(deps, { ids: [itemId] });
  return { ok: true, review: (await loadSnapshot(deps.db, itemId, deps.policy.policy)) ?? fresh };
}
