import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { userText } from '../../domain/errors.js';
import type { Logger } from '../../log.js';
import { attestInputProblems } from '../../review/attest/answer.js';
import type { AttestService } from '../../review/attest/service.js';
import { attestModal } from '../blocks/attest.js';
import { parseModalContext } from '../blocks/modals.js';
import { ACTION, INPUT, VIEW } from '../ids.js';
import { replyPrivately } from '../reply.js';
import { clickContext } from './context.js';

export interface AttestListenerDeps {
  attest: AttestService;
  client: WebClient;
  logger: Logger;
  now: () => Date;
}

const FIELD_BLOCK: Record<string, string> = {
  purpose: INPUT.purpose.block,
  owner: INPUT.businessOwner.block,
  end: INPUT.endDate.block,
};

/**
 * Attest / I didn't do this (issue 20). Each acks first, then calls the attest service,
 * which checks the stored request (who was asked), never the payload.
 */
export function registerAttestActions(app: App, deps: AttestListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(ACTION.attest, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const log = deps.logger.child({ action: ACTION.attest, slackUser: ctx.userId, attestationId: ctx.value });
    try {
      const pre = await deps.attest.preflight({ id: ctx.value, actorSlackId: ctx.userId });
      if (!pre.ok) return await replyPrivately(deps.client, log, ctx, pre.message);
      await deps.client.views.open({ trigger_id: ctx.triggerId, view: attestModal(pre.attestation, ctx.channelId) });
    } catch (err) {
      log.error({ err }, 'attest action failed');
      await replyPrivately(deps.client, log, ctx, userText(err));
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION.disown, async ({ ack, body, action }) => {
    await ack();
    const ctx = clickContext(body, action);
    const log = deps.logger.child({ action: ACTION.disown, slackUser: ctx.userId, attestationId: ctx.value });
    try {
      const r = await deps.attest.disown({ id: ctx.value, actorSlackId: ctx.userId });
      await replyPrivately(deps.client, log, ctx, r.ok ? 'Thanks: the security team has been alerted.' : r.message);
    } catch (err) {
      log.error({ err }, 'disown action failed');
      await replyPrivately(deps.client, log, ctx, userText(err));
    }
  });

  app.view(VIEW.attest, async ({ ack, view, body }) => {
    const ctx = parseModalContext(view.private_metadata);
    const values = view.state.values;
    const input = {
      purpose: values[INPUT.purpose.block]?.[INPUT.purpose.action]?.value ?? '',
      businessOwnerSlackId: values[INPUT.businessOwner.block]?.[INPUT.businessOwner.action]?.selected_user ?? null,
      endDate: values[INPUT.endDate.block]?.[INPUT.endDate.action]?.selected_date ?? null,
    };
    const problems = attestInputProblems(input, deps.now().toISOString().slice(0, 10));
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(problems)) errors[FIELD_BLOCK[field]!] = message;
    if (!ctx) errors[INPUT.purpose.block] = 'This form is out of date; open it again from the message.';
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const userId = body.user.id;
    const r = await deps.attest.attest({ id: ctx!.itemId, actorSlackId: userId, ...input });
    if (!r.ok) await replyPrivately(deps.client, deps.logger, { userId, channelId: ctx!.channel ?? null }, r.message);
  });
}
