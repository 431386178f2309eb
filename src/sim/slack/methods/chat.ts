import type { Args } from '../args.js';
import { SlackApiError } from '../errors.js';
import { messageJson } from '../shapes.js';
import type { WorkspaceState } from '../state.js';
import type { Json, SimChannel } from '../types.js';
import {
  readMessageContent,
  readMetadata,
  required,
  resolveConversation,
  resolveTarget,
  type MethodTable,
} from './common.js';

function assertCanPost(state: WorkspaceState, c: SimChannel): void {
  if (c.is_archived) throw new SlackApiError('is_archived');
  if (c.kind !== 'im' && !c.members.has(state.botUserId)) throw new SlackApiError('not_in_channel');
}

export function permalink(state: WorkspaceState, channel: string, ts: string, threadTs?: string): string {
  const base = `https://${state.team.domain}.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base;
}

/** The message chat.update or chat.delete names: it must exist and be the app's own (the only ones its bot token may change). */
function ownMessage(
  state: WorkspaceState,
  args: Args,
  notOwn: 'cant_update_message' | 'cant_delete_message',
): { channel: SimChannel; ts: string } {
  const channel = resolveConversation(state, args.str('channel'));
  const ts = required(args, 'ts', 'message_not_found');
  const existing = state.message(channel.id, ts);
  if (!existing) throw new SlackApiError('message_not_found');
  if (existing.bot_id !== state.botId) throw new SlackApiError(notOwn);
  return { channel, ts };
}

export const chatMethods: MethodTable = {
  'chat.postMessage': ({ state, args }) => {
    const target = resolveTarget(state, args.str('channel'));
    if ('channel' in target) assertCanPost(state, target.channel);
    const content = readMessageContent(args);
    const metadata = readMetadata(args);
    // The DM a user id means is opened only once the message is known to be good.
    const channel = 'channel' in target ? target.channel : state.openDm(target.dmWith);
    const threadTs = args.str('thread_ts') || undefined;
    const msg = state.postAsBot(channel.id, {
      text: content.text ?? '',
      blocks: content.blocks,
      attachments: content.attachments,
      thread_ts: threadTs,
      metadata: metadata === 'none' ? undefined : metadata,
    });
    return { channel: channel.id, ts: msg.ts, message: messageJson(msg) };
  },

  'chat.update': ({ state, args }) => {
    const { channel, ts } = ownMessage(state, args, 'cant_update_message');
    if (channel.is_archived) throw new SlackApiError('is_archived');
    const content = readMessageContent(args);
    const metadata = readMetadata(args);
    const msg = state.updateMessage(channel.id, ts, {
      text: content.text,
      blocks: content.blocks,
      attachments: content.attachments,
      metadata: metadata === 'none' ? null : metadata,
    });
    return { channel: channel.id, ts: msg.ts, text: msg.text, message: messageJson(msg) };
  },

  'chat.postEphemeral': ({ state, args }) => {
    const channel = resolveConversation(state, args.str('channel'));
    const userId = required(args, 'user', 'user_not_found');
    const user = state.user(userId);
    if (!user) throw new SlackApiError('user_not_found');
    assertCanPost(state, channel);
    if (!channel.members.has(userId)) throw new SlackApiError('user_not_in_channel');
    const content = readMessageContent(args);
    const eph = state.addEphemeral({
      channel: channel.id,
      user: userId,
      text: content.text ?? '',
      blocks: content.blocks as Json[] | undefined,
      attachments: content.attachments as Json[] | undefined,
      thread_ts: args.str('thread_ts') || undefined,
      source: 'chat.postEphemeral',
    });
    return { message_ts: eph.message_ts };
  },

  'chat.delete': ({ state, args }) => {
    const { channel, ts } = ownMessage(state, args, 'cant_delete_message');
    state.deleteMessage(channel.id, ts);
    return { channel: channel.id, ts };
  },

  'chat.getPermalink': ({ state, args }) => {
    const channel = resolveConversation(state, args.str('channel'));
    const ts = required(args, 'message_ts', 'message_not_found');
    const msg = state.message(channel.id, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    return { channel: channel.id, permalink: permalink(state, channel.id, ts, msg.thread_ts) };
  },
};
