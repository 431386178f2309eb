import type { BlockAction, ButtonAction } from '@slack/bolt';

/** What every click handler needs from Slack's payload: who, which item, and where. */
export interface ClickContext {
  userId: string;
  value: string;
  triggerId: string;
  channelId: string | null;
  fromHome: boolean;
  /** The message the button was on (none for the App Home or a modal). */
  message: { channel: string; ts: string } | null;
}

export function clickContext(body: BlockAction, action: ButtonAction): ClickContext {
  const container = body.container as
    { type?: string; channel_id?: string; message_ts?: string; is_ephemeral?: boolean } | undefined;
  const channelId = body.channel?.id ?? container?.channel_id ?? null;
  const ts = body.message?.ts ?? container?.message_ts;
  return {
    userId: body.user.id,
    value: action.value ?? '',
    triggerId: body.trigger_id,
    channelId,
    fromHome: container?.type === 'view' && body.view?.type === 'home',
    message:
      container?.type === 'message' && !container.is_ephemeral && channelId && typeof ts === 'string'
        ? { channel: channelId, ts }
        : null,
  };
}
