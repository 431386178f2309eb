import { isNull } from 'drizzle-orm';
import { reviewItems } from '../db/schema/index.js';
import { auditActor, resolveActor } from './actor.js';
import { auditReview, changeReview } from './change.js';
import type { ReviewDeps } from './deps.js';
import { afterCommit, lockItem, refuseUnlessAllowed, safely } from './decide.js';
import { fail, type ReviewResult } from './result.js';
import { loadSnapshot, snapshotOf } from './snapshot.js';

/** "Ask owner": a "was this you?" DM to the owner of the access behind an alert. */
export async function askOwner(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const now = deps.now();
  const current = await loadSnapshot(deps.db, input.itemId, deps.policy.policy);
  if (!current) return fail('not_found', 'This alert no longer exists.');
  const owner = current.evidence.owner;
  const ownerSlackId = owner.slackId ?? (owner.email ? await deps.slack.slackIdForEmail(owner.email) : null);

  const checked = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const item = await lockItem(tx, input.itemId);
    if (!item) return fail('not_found', 'This alert no longer exists.');
    const refused = await refuseUnlessAllowed(deps, tx, item, actor, 'ask_owner', now);
    if (refused) return refused;
    if (item.askedSlackId) return fail('invalid', `<@${item.askedSlackId}> has already been asked.`);
    if (!ownerSlackId) return fail('invalid', 'Steward knows no owner with a Slack account to ask.');
    return { ok: true, review: snapshotOf(item, [], deps.policy.policy) };
  });
  if (!checked.ok) return checked;

  const ref = await deps.notifier.askOwner(checked.review, ownerSlackId!);
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const updated = await changeReview(
      tx,
      input.itemId,
      isNull(reviewItems.askedSlackId),
      { askedSlackId: ownerSlackId, askChannel: ref.channel, askTs: ref.ts },
      now,
    );
    if (!updated) return fail('invalid', 'The owner has already been asked.');
    await auditReview(tx, deps, { actor: auditActor(actor), at: now }, updated, {
      action: 'review.owner_asked',
      outcome: 'asked',
      details: { ownerSlackId, channel: ref.channel, ts: ref.ts },
    });
    return { ok: true, review: snapshotOf(updated, [], deps.policy.policy) };
  });
  if (result.ok && result.review.item.slackChannel && result.review.item.slackTs) {
    const alert = { channel: result.review.item.slackChannel, ts: result.review.item.slackTs };
    await safely(
      deps,
      () => deps.notifier.threadReply(alert, `<@${actor.slackId}> asked <@${ownerSlackId}> whether this was them.`),
      input.itemId,
    );
  }
  return afterCommit(deps, result, false);
}

/** The owner's answer; the first one counts, and it is posted in the alert's thread. */
export async function answerOwnerQuestion(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string; answer: 'yes' | 'no' },
): Promise<ReviewResult> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const now = deps.now();
  const result = await deps.db.transaction(async (tx): Promise<ReviewResult> => {
    const item = await lockItem(tx, input.itemId);
    if (!item) return fail('not_found', 'This question no longer exists.');
    const refused = await refuseUnlessAllowed(deps, tx, item, actor, 'answer', now);
    if (refused) return refused;
    if (item.ownerAnswer)
      return fail(
        'already_decided',
        `You already answered: ${item.ownerAnswer === 'yes' ? 'it was you' : 'it was not you'}.`,
      );
    const updated = await changeReview(
      tx,
      item.id,
      isNull(reviewItems.ownerAnswer),
      { ownerAnswer: input.answer },
      now,
    );
    if (!updated) return fail('already_decided', 'Already answered.');
    await auditReview(tx, deps, { actor: auditActor(actor), at: now }, item, {
      action: 'review.owner_answered',
      outcome: input.answer === 'yes' ? 'owner_confirmed' : 'owner_denied',
      details: { answer: input.answer },
    });
    return { ok: true, review: snapshotOf(updated, [], deps.policy.policy) };
  });
  if (result.ok && result.review.item.slackChannel && result.review.item.slackTs) {
    const alert = { channel: result.review.item.slackChannel, ts: result.review.item.slackTs };
    const text =
      input.answer === 'yes'
        ? `<@${actor.slackId}> answered: *yes, this was me.*`
        : `:rotating_light: <@${actor.slackId}> answered: *no, this was NOT me.* Consider revoking now.`;
    await safely(deps, () => deps.notifier.threadReply(alert, text), input.itemId);
  }
  return afterCommit(deps, result, false);
}
