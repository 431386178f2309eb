import type { Evidence } from '../domain/evidence.js';
import { claims } from '../db/schema/index.js';
import type { Tx } from '../db/types.js';
import { auditActor, resolveActor, type Actor } from './actor.js';
import { auditReview, changeReview, freshDelivery, UNDECIDED, type ReviewEvent } from './change.js';
import { deliverPending } from './deliver.js';
import type { ReviewDeps } from './deps.js';
import { lockItem, refuseUnlessAllowed, safely, stateRefusal } from './decide.js';
import type { MessageRef } from './notifier.js';
import { fail, type ReviewResult } from './result.js';
import { loadSnapshot, messageOf, snapshotOf, type ReviewItem } from './snapshot.js';

/**
 * "Not mine": the reviewer (or an admin) names the right owner, who gets the review in
 * a new DM; the first message says where it went.
 */
export async function reassign(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string; newOwnerSlackId: string; message?: MessageRef | null },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const target = await resolveActor(deps.db, deps.slack, input.newOwnerSlackId);
  return handOver(
    deps,
    input,
    'not_mine',
    async (tx, item, now) => {
      if (target.deleted) return fail('invalid', 'That person is not an active Slack user.', { field: 'owner' });
      if (target.isBot) return fail('invalid', 'A bot cannot own access; choose a person.', { field: 'owner' });
      if (target.slackId === item.assigneeSlackId)
        return fail('invalid', 'That is who has it now; choose the right owner.', { field: 'owner' });
      return {
        assignee: { slackId: target.slackId, email: target.email, userId: target.anthropicUserId },
        via: 'reassigned' as const,
        audit: {
          action: 'review.reassigned',
          outcome: 'reassigned',
          details: {
            fromSlackId: item.assigneeSlackId,
            toSlackId: target.slackId,
            toEmail: target.email,
            toAnthropicId: target.anthropicUserId,
          },
        },
        now,
      };
    },
    actor,
  );
}

/** Someone in the security channel says "this is mine": they own it and get the review. */
export async function claim(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string; message?: MessageRef | null },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  return handOver(
    deps,
    input,
    'claim',
    async (tx, item, now) => {
      await tx.insert(claims).values({
        // About the access in the review's organisation only (issue 17).
        orgId: item.orgId,
        subjectType: item.subjectType,
        subjectId: item.subjectId,
        claimedBySlackId: actor.slackId,
        claimedByEmail: actor.email,
        claimedByUserId: actor.anthropicUserId,
        reviewItemId: item.id,
        claimedAt: now,
      });
      return {
        assignee: { slackId: actor.slackId, email: actor.email, userId: actor.anthropicUserId },
        via: 'claim' as const,
        audit: {
          action: 'review.claimed',
          outcome: 'claimed',
          details: { claimedBySlackId: actor.slackId, claimedByAnthropicId: actor.anthropicUserId },
        },
        now,
      };
    },
    actor,
  );
}

type Plan = {
  assignee: { slackId: string; email: string | null; userId: string | null };
  via: 'reassigned' | 'claim';
  audit: ReviewEvent;
  now: Date;
};

async function handOver(
  deps: ReviewDeps,
  { itemId, message }: { itemId: string; message?: MessageRef | null },
  op: 'not_mine' | 'claim',
  plan: (tx: Tx, item: ReviewItem, now: Date) => Promise<Plan | ReviewResult>,
  actor: Actor,
): Promise<ReviewResult> {
  const now = deps.now();
  let oldRef: MessageRef | null = null;
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const item = await lockItem(tx, itemId);
    if (!item) return fail('not_found', 'This review no longer exists.');
    const refused = await refuseUnlessAllowed(deps, tx, item, actor, op, now);
    if (refused) return refused;
    const state = stateRefusal(item);
    if (state) return state;
    const p = await plan(tx, item, now);
    if ('ok' in p) return p;
    oldRef = messageOf(item, message);
    const evidence = item.evidenceShown as unknown as Evidence;
    const shown: Evidence = {
      ...evidence,
      owner: {
        userId: p.assignee.userId,
        email: p.assignee.email,
        slackId: p.assignee.slackId,
        via: p.via === 'claim' ? 'claim' : evidence.owner.via,
        unownedReason: null,
      },
    };
    const updated = await changeReview(
      tx,
      item.id,
      UNDECIDED,
      freshDelivery({
        route: 'dm',
        slackId: p.assignee.slackId,
        email: p.assignee.email,
        userId: p.assignee.userId,
        via: p.via,
        shown: shown as unknown as Record<string, unknown>,
      }),
      now,
      { newVersion: true },
    );
    if (!updated) return fail('already_decided', 'This review has already been decided.');
    await auditReview(tx, deps, { actor: auditActor(actor), at: now }, item, {
      ...p.audit,
      evidence: item.evidenceShown,
    });
    return { ok: true, review: snapshotOf(updated, [], deps.policy.policy) };
  });
  if (!result.ok) return result;
  const fresh = (await loadSnapshot(deps.db, itemId, deps.policy.policy))!;
  const ref = oldRef as MessageRef | null;
  if (ref)
    await safely(
      deps,
      () =>
        deps.notifier.handedOver(ref, fresh, {
          bySlackId: actor.slackId,
          how: op === 'claim' ? 'claimed' : 'reassigned',
        }),
      itemId,
    );
  await deliverPending(deps, { ids: [itemId] });
  return { ok: true, review: (await loadSnapshot(deps.db, itemId, deps.policy.policy)) ?? fresh };
}
