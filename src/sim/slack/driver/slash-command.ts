/**
 * A slash command as Slack delivers it: the documented form fields, with a fresh trigger_id
 * and response_url; an immediate reply in the app's answer is shown as a response_url post is.
 */
import type { DeliveryOptions } from '../delivery.js';
import { applyResponseUrlPost } from '../response-url.js';
import type { AppDelivery } from './app-delivery.js';
import { responseUrlHandle } from './response-url-handle.js';
import type { SlashCommandInput, SlashCommandResult } from './types.js';

export async function deliverSlashCommand(
  app: AppDelivery,
  input: SlashCommandInput,
  opts: DeliveryOptions,
): Promise<SlashCommandResult> {
  const { state } = app.ctx;
  const user = state.user(input.userId);
  if (!user) throw new Error(`no user ${input.userId}`);
  const channel = input.channelId ? state.channel(input.channelId) : state.openDm(input.userId);
  if (!channel) throw new Error(`no channel ${input.channelId}`);
  const trigger = state.issueTrigger(input.userId);
  const record = state.issueResponseUrl({ kind: 'command', user: input.userId, channel: channel.id });
  const fields: Record<string, string> = {
    token: app.ctx.verificationToken,
    team_id: state.team.id,
    team_domain: state.team.domain,
    channel_id: channel.id,
    channel_name: channel.kind === 'im' ? 'directmessage' : channel.name,
    user_id: user.id,
    user_name: user.name,
    command: input.command ?? '/steward',
    text: input.text ?? '',
    api_app_id: state.appId,
    is_enterprise_install: 'false',
    response_url: record.url,
    trigger_id: trigger.id,
  };
  const res = await app.sendCommand(fields, opts);
  // An immediate reply in the HTTP answer is shown like a response_url post.
  if (res.status === 200 && !res.late && res.body !== undefined) {
    const body = typeof res.body === 'string' ? { text: res.body } : res.body;
    applyResponseUrlPost(state, record, body, { countUse: false, source: 'command_ack' });
  }
  return { ...res, triggerId: trigger.id, ...responseUrlHandle(record) };
}
