import type { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';

export interface ReplyTarget {
  userId: string;
  /** The channel the click came from; without one (App Home, modals) the user gets a DM. */
  channelId?: string | null;
}

/** Tells one person something only they should see; never throws. */
export async function replyPrivately(client: WebClient, logger: Logger, to: ReplyTarget, text: string): Promise<void> {
  if (to.channelId) {
    try {
      await client.chat.postEphemeral({ channel: to.channelId, user: to.userId, text });
      return;
    } catch {
      // Not a member of that conversation (e.g. a forged click): fall back to a DM.
    }
  }
  try {
    const dm = await client.conversations.open({ users: to.userId });
    if (dm.channel?.id) await client.chat.postMessage({ channel: dm.channel.id, text });
  } catch (err) {
    logger.warn({ err, slackUser: to.userId }, 'could not tell the user privately');
  }
}
