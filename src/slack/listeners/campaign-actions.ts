import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { userText } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import type { CampaignService } from '../../review/campaigns/service.js';
import type { WebClient } from '@slack/web-api';
import { ACTION } from '../ids.js';
import { replyPrivately } from '../reply.js';
import { clickContext } from './context.js';

/** **Remind** on the campaign status: the service checks the clicker is an admin and audits it. */
export function registerCampaignActions(
  app: App,
  deps: { campaigns: CampaignService; client: WebClient; logger: Logger },
): void {
  app.action<BlockAction<ButtonAction>>(ACTION.campaignRemind, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const [campaignId, reviewerSlackId] = ctx.value.split('|');
    const log = deps.logger.child({ action: ACTION.campaignRemind, slackUser: ctx.userId });
    try {
      if (!campaignId || !reviewerSlackId) return;
      const r = await deps.campaigns.remind({ ref: campaignId, reviewerSlackId, actorSlackId: ctx.userId });
      await replyPrivately(
        deps.client,
        log,
        ctx,
        r.ok
          ? `Reminded <@${reviewerSlackId}> of ${r.reminded} open item${r.reminded === 1 ? '' : 's'} in campaign #${r.number}.`
          : r.message,
      );
    } catch (err) {
      log.error({ err }, 'campaign reminder failed');
      await replyPrivately(deps.client, log, ctx, userText(err));
    }
  });
}
