import type { BlockAction, ButtonAction } from '@slack/bolt';

/** What every click handler needs from Slack's payload: who, which item, and where. */
export interface ClickContext {
  userId: string;
  value: string;
  triggerId: string;
  channelId: string | null;
  fromHome: boolean;
}

export function clickContext(body: BlockAction, action: ButtonAction): ClickContext {
  const container = body.container as { type?: string; channel_id?: string } | undefined;
  return {
    userId: body.user.id,
    value: action.value ?? '',
    triggerId: body.trigger_id,
    channelId: body.channel?.id ?? container?.channel_id ?? null,
    fromHome: container?.type === 'view' && body.view?.type === 'home',
  };
}
