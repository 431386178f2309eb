import { auditActor, resolveActor } from './actor.js';
import { authorise, type ReviewOp } from './authorise.js';
import { isCampaignSelfReview } from './campaigns/self-review.js';
import { auditReview } from './change.js';
import type { ReviewDeps } from './deps.js';
import { stateRefusal } from './decide.js';
import { presentationOf } from './presentation.js';
import { fail, type ReviewResult } from './result.js';
import { loadSnapshot } from './snapshot.js';

/**
 * The quick check before opening a modal (Slack's trigger id lives 3 seconds): reads the
 * stored review and decides from Slack ids alone, no network. The real operation checks
 * again when the modal is submitted.
 */
export async function preflight(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string; op: ReviewOp },
): Promise<ReviewResult> {
  if (!/^[0-9a-f-]{36}$/i.test(input.itemId)) return fail('not_found', 'This review no longer exists.');
  const s = await loadSnapshot(deps.db, input.itemId, deps.policy.policy);
  if (!s) return fail('not_found', 'This review no longer exists.');
  const auth = authorise({
    op: input.op,
    presentation: presentationOf(s.item.kind, s.item.route),
    assigneeSlackId: s.item.assigneeSlackId,
    decidedBySlackId: s.item.decidedBySlackId,
    askedSlackId: s.item.askedSlackId,
    actorSlackId: input.actorSlackId,
    actorIsAdmin: deps.admins.includes(input.actorSlackId),
    actorIsMember: true,
    // By Slack id only here (no network); the operation checks the person's organisation identity too.
    selfReview: await isCampaignSelfReview(deps.db, s.item, { slackId: input.actorSlackId, anthropicUserId: null }),
  });
  if (!auth.allowed) return fail('not_allowed', auth.why, { review: s });
  return stateRefusal(s.item) ?? { ok: true, review: s };
}

/** Audits a refusal found by preflight (after Slack has had its ack). */
export async function recordRefusal(
  deps: ReviewDeps,
  input: { itemId: string; actorSlackId: string; op: ReviewOp; why: string },
): Promise<void> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  const s = await loadSnapshot(deps.db, input.itemId, deps.policy.policy);
  await deps.db.transaction((tx) =>
    auditReview(tx, deps, { actor: auditActor(actor), at: deps.now() }, s?.item ?? null, {
      action: 'review.refused',
      outcome: 'refused',
      details: { attempted: input.op, why: input.why, assigneeSlackId: s?.item.assigneeSlackId ?? null },
    }),
  );
  deps.logger.warn(
    { reviewItemId: input.itemId, slackUser: input.actorSlackId, op: input.op },
    'refused a review action from someone not allowed',
  );
}

/**
 * Audits a click naming no review or action Steward has (a forged or very old button):
 * the value is recorded clipped, since it is whatever the sender put there.
 */
export async function recordUnknownClick(
  deps: ReviewDeps,
  input: { actorSlackId: string; action: string; value: string; why: string },
): Promise<void> {
  const actor = await resolveActor(deps.db, deps.slack, input.actorSlackId);
  await deps.db.transaction((tx) =>
    auditReview(tx, deps, { actor: auditActor(actor), at: deps.now() }, null, {
      action: 'review.refused',
      outcome: 'not_found',
      details: { attempted: input.action.slice(0, 64), value: input.value.slice(0, 64), why: input.why },
    }),
  );
  deps.logger.warn(
    { slackUser: input.actorSlackId, action: input.action.slice(0, 64) },
    'a click named no existing review or action',
  );
}
