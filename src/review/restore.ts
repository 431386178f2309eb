import { eq } from 'drizzle-orm';
import { enqueueAction, requeueFailed } from '../actions/outbox.js';
import { outboxActions } from '../db/schema/index.js';
import { auditActor, resolveActor } from './actor.js';
import { auditReview } from './change.js';
import type { ReviewDeps } from './deps.js';
import { afterCommit, lockItem, refuseUnlessAllowed } from './decide.js';
import { fail, type ReviewResult } from './result.js';
import { loadSnapshot } from './snapshot.js';

/** Restore: a deactivated key goes back to active, during the grace period only. */
export async function restore(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const now = deps.now();
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const item = await lockItem(tx, input.itemId);
    if (!item) return fail('not_found', 'This review no longer exists.');
    const refused = await refuseUnlessAllowed(deps, tx, item, actor, 'restore', now);
    if (refused) return refused;
    const snap = (await loadSnapshot(tx, item.id, deps.policy.policy))!;
    if (snap.restore)
      return fail('already_decided', 'This access has already been restored (or a restore is under way).', {
        review: snap,
      });
    if (!snap.restorableUntil)
      return fail('invalid', 'Only a deactivated key can be restored, once its deactivation has succeeded.', {
        review: snap,
      });
    if (now.getTime() > snap.restorableUntil.getTime()) {
      return fail(
        'invalid',
        `The restore period ended ${snap.restorableUntil.toISOString().slice(0, 10)}; ask an admin to reactivate the key in the Console.`,
        { review: snap },
      );
    }
    const action = await enqueueAction(
      tx,
      {
        kind: 'restore_key',
        targetType: 'api_key',
        targetId: item.subjectId,
        params: {},
        restorable: false,
        description: 'Reactivate the key',
      },
      { reviewItemId: item.id, requestedBySlackId: actor.slackId, now },
    );
    await auditReview(tx, deps, { actor: auditActor(actor), at: now }, item, {
      action: 'review.restore_requested',
      outcome: 'restore_requested',
      details: { actionId: action.id, restorableUntil: snap.restorableUntil.toISOString() },
    });
    return { ok: true, review: snap };
  });
  return afterCommit(deps, result, true);
}

/** Retry of a failed action (security channel button, admins). */
export async function retryAction(
  deps: ReviewDeps,
  input: { actionId: string; actorSlackId: string },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const who = { actor: auditActor(actor), at: deps.now() };
  const now = who.at;
  if (!deps.admins.includes(actor.slackId)) {
    await deps.db.transaction((tx) =>
      auditReview(tx, deps, who, null, {
        action: 'action.retry_refused',
        outcome: 'refused',
        details: { actionId: input.actionId, why: 'not an admin' },
      }),
    );
    return fail('not_allowed', 'Only Steward admins can retry actions.');
  }
  if (!/^[0-9a-f-]{36}$/i.test(input.actionId)) return fail('not_found', 'No such action.');
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const row = await requeueFailed(tx, input.actionId, now);
    if (!row) {
      const [known] = await tx
        .select({ id: outboxActions.id })
        .from(outboxActions)
        .where(eq(outboxActions.id, input.actionId));
      if (!known) return fail('not_found', 'No such action.');
      return fail('already_decided', 'That action is not failed any more (already retried or done).');
    }
    const about = { id: row.reviewItemId, subjectType: row.targetType, subjectId: row.targetId };
    await auditReview(tx, deps, who, about, {
      action: 'action.retry_requested',
      outcome: 'retry_requested',
      details: { actionId: row.id, kind: row.kind },
    });
    const review = row.reviewItemId ? await loadSnapshot(tx, row.reviewItemId, deps.policy.policy) : undefined;
    return review
      ? { ok: true, review }
      : fail('not_found', 'The action will be retried, but its review no longer exists.');
  });
  return afterCommit(deps, result, true);
}
