import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { userText } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import { MAX_REASON, MIN_REASON } from '../../review/decide.js';
import type { KeepEndingService } from '../../review/keep-renew.js';
import { keepModal, parseModalContext } from '../blocks/modals.js';
import { ACTION, INPUT, VIEW } from '../ids.js';
import { replyPrivately } from '../reply.js';
import { clickContext } from './context.js';

export interface KeepEndingListenerDeps {
  keepEnding: KeepEndingService;
  client: WebClient;
  logger: Logger;
}

/**
 * **Keep** in the "your Keep ends in 7 days" DM (issue 20): acks, asks the service
 * whether this person may renew (the stored review, never the payload), then opens the
 * Keep modal; its submission renews, re-checked against stored state.
 */
export function registerKeepEndingActions(app: App, deps: KeepEndingListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.renewKeep, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const log = deps.logger.child({ action: ACTION.renewKeep, slackUser: ctx.userId, certificationId: ctx.value });
    try {
      const pre = await deps.keepEnding.preflight({ certificationId: ctx.value, actorSlackId: ctx.userId });
      if (!pre.ok) return await replyPrivately(deps.client, log, ctx, pre.message);
      // The Keep modal of reviews, submitted to the renewal; it remembers the certification.
      const view = {
        ...keepModal(pre.review, deps.keepEnding.keepDays(), { itemId: ctx.value, channel: ctx.channelId }),
        callback_id: VIEW.renewKeep,
      };
      await deps.client.views.open({ trigger_id: ctx.triggerId, view });
    } catch (err) {
      log.error({ err }, 'renew-keep action failed');
      await replyPrivately(deps.client, log, ctx, userText(err));
    }
  });

  app.view(VIEW.renewKeep, async ({ ack, view, body }) => {
    const ctx = parseModalContext(view.private_metadata);
    const values = view.state?.values ?? {};
    const reason = values[INPUT.reason.block]?.[INPUT.reason.action]?.value?.trim() ?? '';
    const days = Number(values[INPUT.duration.block]?.[INPUT.duration.action]?.selected_option?.value);
    const errors: Record<string, string> = {};
    if (reason.length < MIN_REASON)
      errors[INPUT.reason.block] = `Say why it is still needed (at least ${MIN_REASON} characters).`;
    else if (reason.length > MAX_REASON)
      errors[INPUT.reason.block] = `Keep it to ${MAX_REASON} characters or fewer (this one has ${reason.length}).`;
    if (!deps.keepEnding.keepDays().includes(days))
      errors[INPUT.duration.block] = 'Choose one of the offered durations.';
    if (!ctx) errors[INPUT.reason.block] = 'This form is out of date; open it again from the message.';
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const userId = body.user.id;
    const r = await deps.keepEnding.renew({
      certificationId: ctx!.itemId,
      actorSlackId: userId,
      reason,
      keepDays: days,
    });
    if (!r.ok) await replyPrivately(deps.client, deps.logger, { userId, channelId: ctx!.channel ?? null }, r.message);
  });
}
