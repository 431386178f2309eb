import type { WebClient } from '@slack/web-api';
import { StewardError } from '../domain/errors.js';
import type { MessageRef } from '../review/notifier.js';
import type { Rendered } from './blocks/review.js';
import { noAnswer, slackErrorCode, toStewardError } from './errors.js';
import type { DmChannels } from './notifier-dms.js';

export interface DmOptions {
  threadTs?: string;
  metadata?: { event_type: string; event_payload: Record<string, string> };
}

/** DMs to people through their stored DM channel: reviews, reminders, attestation requests, notices. */
export interface DmSender {
  /** Posts `r` in `user`'s DM with Steward; throws `slack_recipient_unreachable` when Slack cannot reach them. */
  send(user: string, r: Rendered, what: string, o?: DmOptions): Promise<MessageRef>;
  /** The DM channel without a message (a retried delivery's check); only then is one opened. */
  channelOf(user: string): Promise<string>;
}

export async function postRendered(
  client: WebClient,
  channel: string,
  r: Rendered,
  o: DmOptions = {},
): Promise<MessageRef> {
  const res = await client.chat.postMessage({
    channel,
    blocks: r.blocks,
    text: r.text,
    unfurl_links: false,
    ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
    ...(o.metadata ? { metadata: o.metadata } : {}),
  });
  if (!res.ts || !res.channel) throw noAnswer('the message ts (chat.postMessage)');
  return { channel: res.channel, ts: res.ts };
}

/**
 * One sender per process, shared by every notifier, so a person's first messages of any
 * kind learn their channel once. The first DM goes to their user id: "provide the user's
 * ID as the channel value and a direct message conversation will be opened if it isn't
 * open already" (https://docs.slack.dev/reference/methods/chat.postMessage, "Post to a
 * direct message channel"), and the answer names the `D…` channel, which is stored: no
 * conversations.open, and every later message goes to that channel. "channel_not_found if
 * your app doesn't have permission to enter into a DM with the intended user" (same
 * page): unreachable.
 */
export function dmSender(client: WebClient, dms: DmChannels): DmSender {
  const firstContact = new Map<string, Promise<MessageRef>>();
  return {
    async send(user, r, what, o = {}) {
      // Several messages for someone new: one learns the channel, the others wait for it, so
      // every message to that person is paced on one channel's budget.
      const learning = firstContact.get(user);
      if (learning) await learning.catch(() => undefined);
      const known = await dms.get(user);
      if (known) {
        try {
          return await postRendered(client, known, r, o);
        } catch (err) {
          if (slackErrorCode(err) !== 'channel_not_found') throw toStewardError(err, what);
          await dms.forget(user);
        }
      }
      let ref: MessageRef;
      const posted = postRendered(client, user, r, o);
      firstContact.set(user, posted);
      try {
        ref = await posted;
      } catch (err) {
        if (firstContact.get(user) === posted) firstContact.delete(user);
        if (slackErrorCode(err) === 'channel_not_found')
          throw new StewardError('slack_recipient_unreachable', `${what}: Slack says channel_not_found for the user`, {
            retry: false,
            cause: err,
          });
        throw toStewardError(err, what);
      }
      try {
        await dms.put(user, ref.channel);
      } finally {
        if (firstContact.get(user) === posted) firstContact.delete(user);
      }
      return ref;
    },
    async channelOf(user) {
      const known = await dms.get(user);
      if (known) return known;
      const r = await client.conversations.open({ users: user });
      if (!r.channel?.id) throw noAnswer('the channel of a DM (conversations.open)');
      await dms.put(user, r.channel.id);
      return r.channel.id;
    },
  };
}
