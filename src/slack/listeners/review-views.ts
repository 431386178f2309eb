import type { App } from '@slack/bolt';
import { parseKeepChoice } from '../../review/campaigns/keep.js';
import { MAX_REASON, MIN_REASON } from '../../review/decide.js';
import { parseModalContext, type ModalContext } from '../blocks/modals.js';
import { INPUT, VIEW } from '../ids.js';
import { replyPrivately } from '../reply.js';
import type { ReviewListenerDeps } from './review-actions.js';

/**
 * Modal submissions. Shape checks answer inside the ack (Slack shows them on the
 * field); the decision itself runs after the ack and re-checks everything against the
 * stored review, so a modal left open while someone else decided cannot decide twice.
 */
export function registerReviewViews(app: App, deps: ReviewListenerDeps): void {
  app.view(VIEW.keep, async ({ ack, view, body }) => {
    const ctx = parseModalContext(view.private_metadata);
    // Bolt's types promise `state`; a forged submission need not carry it.
    const values = view.state?.values ?? {};
    const reason = values[INPUT.reason.block]?.[INPUT.reason.action]?.value?.trim() ?? '';
    const choice = parseKeepChoice(
      values[INPUT.duration.block]?.[INPUT.duration.action]?.selected_option?.value,
      values[INPUT.keepDate.block]?.[INPUT.keepDate.action]?.selected_date,
    );
    const errors: Record<string, string> = {};
    if (reason.length < MIN_REASON)
      errors[INPUT.reason.block] = `Say why it is still needed (at least ${MIN_REASON} characters).`;
    else if (reason.length > MAX_REASON)
      errors[INPUT.reason.block] = `Keep it to ${MAX_REASON} characters or fewer (this one has ${reason.length}).`;
    if (!choice || (choice.kind === 'days' && !deps.review.policy.policy.review.keep_days.includes(choice.days)))
      errors[INPUT.duration.block] = 'Choose one of the offered durations.';
    else if (choice.kind === 'date' && !choice.date) errors[INPUT.keepDate.block] = 'Choose the date it is kept until.';
    if (!ctx) errors[INPUT.reason.block] = 'This form is out of date; open it again from the review.';
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const userId = body.user.id;
    const r = await deps.review.decide({
      itemId: ctx!.itemId,
      actorSlackId: userId,
      decision: 'keep',
      reason,
      ...(choice!.kind === 'days' ? { keepDays: choice!.days } : { keepChoice: choice! }),
      via: 'modal',
      message: clickedMessage(ctx!),
    });
    if (!r.ok) await replyPrivately(deps.client, deps.logger, { userId, channelId: ctx!.channel }, r.message);
    await deps.refreshHome(userId);
  });

  app.view(VIEW.notMine, async ({ ack, view, body }) => {
    const ctx = parseModalContext(view.private_metadata);
    const userId = body.user.id;
    const owner = view.state?.values?.[INPUT.owner.block]?.[INPUT.owner.action]?.selected_user ?? '';
    const errors: Record<string, string> = {};
    if (!owner) errors[INPUT.owner.block] = 'Choose who owns it.';
    else if (owner === userId) errors[INPUT.owner.block] = 'Choose someone other than yourself.';
    if (!ctx) errors[INPUT.owner.block] = 'This form is out of date; open it again from the review.';
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const r = await deps.review.reassign({
      itemId: ctx!.itemId,
      actorSlackId: userId,
      newOwnerSlackId: owner,
      message: clickedMessage(ctx!),
    });
    if (!r.ok) await replyPrivately(deps.client, deps.logger, { userId, channelId: ctx!.channel }, r.message);
    else
      await replyPrivately(
        deps.client,
        deps.logger,
        { userId, channelId: ctx!.channel },
        `Thanks: <@${owner}> now has this review.`,
      );
    await deps.refreshHome(userId);
  });
}

/** The message the modal was opened from, when it was opened from one. */
const clickedMessage = (ctx: ModalContext) => (ctx.channel && ctx.ts ? { channel: ctx.channel, ts: ctx.ts } : null);
