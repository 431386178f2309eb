import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { userText } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import type { ReviewResult } from '../../review/result.js';
import type { ReviewService } from '../../review/service.js';
import { retriedMessage } from '../blocks/followup.js';
import { keepModal, notMineModal } from '../blocks/modals.js';
import { ACTION } from '../ids.js';
import { replyPrivately } from '../reply.js';
import { clickContext, type ClickContext } from './context.js';

export interface ReviewListenerDeps {
  review: ReviewService;
  client: WebClient;
  logger: Logger;
  /** Re-renders a user's App Home after they act from it. */
  refreshHome: (userId: string) => Promise<void>;
}

type Handler = (ctx: ClickContext, body: BlockAction) => Promise<ReviewResult | void>;

/**
 * Button clicks. Each acks first (Slack's 3 seconds), then calls the review service,
 * which checks the stored assignment (never the payload) and makes the one atomic
 * change; the service refreshes the message. Refusals and "already decided" answers go
 * to the clicker only.
 */
export function registerReviewActions(app: App, deps: ReviewListenerDeps): void {
  const on = (actionId: string, handler: Handler) => {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const ctx = clickContext(body, action);
      const log = deps.logger.child({ action: actionId, slackUser: ctx.userId, reviewItemId: ctx.value });
      try {
        const result = await handler(ctx, body);
        if (result && !result.ok && result.code === 'not_found')
          await deps.review.recordUnknownClick({
            actorSlackId: ctx.userId,
            action: actionId,
            value: ctx.value,
            why: result.message,
          });
        if (result && !result.ok) await replyPrivately(deps.client, log, ctx, result.message);
        if (ctx.fromHome) await deps.refreshHome(ctx.userId);
      } catch (err) {
        log.error({ err }, 'review action failed');
        await replyPrivately(deps.client, log, ctx, userText(err));
      }
    });
  };

  const openModal = async (ctx: ClickContext, op: 'keep' | 'not_mine'): Promise<ReviewResult | void> => {
    const pre = await deps.review.preflight({ itemId: ctx.value, actorSlackId: ctx.userId, op });
    if (!pre.ok) {
      if (pre.code === 'not_allowed')
        await deps.review.recordRefusal({ itemId: ctx.value, actorSlackId: ctx.userId, op, why: pre.message });
      return pre;
    }
    const modalCtx = { itemId: pre.review.item.id, channel: ctx.channelId, ts: ctx.message?.ts ?? null };
    const view =
      op === 'keep'
        ? keepModal(
            pre.review,
            deps.review.policy.policy.review.keep_days,
            modalCtx,
            deps.review.keepOptions(pre.review.evidence),
          )
        : notMineModal(pre.review, modalCtx);
    await deps.client.views.open({ trigger_id: ctx.triggerId, view });
  };

  on(ACTION.keep, (ctx) => openModal(ctx, 'keep'));
  on(ACTION.notMine, (ctx) => openModal(ctx, 'not_mine'));
  on(ACTION.revoke, (ctx) =>
    deps.review.decide({
      itemId: ctx.value,
      actorSlackId: ctx.userId,
      decision: 'revoke',
      via: ctx.fromHome ? 'home' : 'message',
      message: ctx.message,
    }),
  );
  on(ACTION.revokeHolding, (ctx) => {
    const [itemId = '', holdingType = '', holdingId = ''] = ctx.value.split('|');
    return deps.review.revokeHolding({ itemId, actorSlackId: ctx.userId, holdingType, holdingId });
  });
  on(ACTION.acknowledge, (ctx) =>
    deps.review.decide({
      itemId: ctx.value,
      actorSlackId: ctx.userId,
      decision: 'acknowledge',
      via: 'message',
      message: ctx.message,
    }),
  );
  on(ACTION.claim, (ctx) => deps.review.claim({ itemId: ctx.value, actorSlackId: ctx.userId, message: ctx.message }));
  on(ACTION.askOwner, (ctx) => deps.review.askOwner({ itemId: ctx.value, actorSlackId: ctx.userId }));
  on(ACTION.restore, (ctx) => deps.review.restore({ itemId: ctx.value, actorSlackId: ctx.userId }));
  on(ACTION.answerYes, (ctx) =>
    deps.review.answerOwnerQuestion({ itemId: ctx.value, actorSlackId: ctx.userId, answer: 'yes' }),
  );
  on(ACTION.answerNo, (ctx) =>
    deps.review.answerOwnerQuestion({ itemId: ctx.value, actorSlackId: ctx.userId, answer: 'no' }),
  );
  on(ACTION.retry, async (ctx, body) => {
    const r = await deps.review.retryAction({ actionId: ctx.value, actorSlackId: ctx.userId });
    const message = (body as { message?: { ts?: string } }).message;
    if (r.ok && ctx.channelId && message?.ts) {
      const action = r.review.actions.find((a) => a.id === ctx.value);
      if (action) {
        const m = retriedMessage(action, ctx.userId);
        await deps.client.chat.update({ channel: ctx.channelId, ts: message.ts, blocks: m.blocks, text: m.text });
      }
    }
    return r;
  });
}
