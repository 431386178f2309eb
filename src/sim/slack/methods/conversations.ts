import { SlackApiError } from '../errors.js';
import { channelJson } from '../shapes.js';
import type { SimChannel } from '../types.js';
import { paginate, type MethodTable } from './common.js';

const TYPE_OF_KIND: Record<SimChannel['kind'], string> = {
  channel: 'public_channel',
  group: 'private_channel',
  im: 'im',
  mpim: 'mpim',
};

export const conversationMethods: MethodTable = {
  'conversations.open': ({ state, args }) => {
    const channelArg = args.str('channel');
    const usersArg = args.str('users');
    const returnIm = args.bool('return_im') ?? false;
    const preventCreation = args.bool('prevent_creation') ?? false;
    if (!usersArg) {
      if (!channelArg) throw new SlackApiError('users_list_not_supplied');
      const c = state.channel(channelArg);
      if (!c) throw new SlackApiError('channel_not_found');
      if (c.kind !== 'im' && c.kind !== 'mpim') throw new SlackApiError('method_not_supported_for_channel_type');
      return { no_op: true, already_open: true, channel: returnIm ? channelJson(c, state.botUserId) : { id: c.id } };
    }
    const ids = usersArg
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .filter((id) => id !== state.botUserId);
    if (ids.length === 0) throw new SlackApiError('not_enough_users');
    if (ids.length > 8) throw new SlackApiError('too_many_users');
    for (const id of ids) {
      const u = state.user(id);
      if (!u) throw new SlackApiError('user_not_found');
      if (u.deleted) throw new SlackApiError('user_disabled');
    }
    if (ids.length === 1) {
      const existing = state.dmWith(ids[0]!);
      if (!existing && preventCreation) throw new SlackApiError('channel_not_found');
      const dm = existing ?? state.openDm(ids[0]!);
      const body: Record<string, unknown> = { channel: returnIm ? channelJson(dm, state.botUserId) : { id: dm.id } };
      if (existing) Object.assign(body, { no_op: true, already_open: true });
      return body;
    }
    const mpim = state.openMpim(ids);
    return { channel: returnIm ? channelJson(mpim, state.botUserId) : { id: mpim.id } };
  },

  'conversations.info': ({ state, args }) => {
    const id = args.str('channel');
    const c = id ? state.channel(id) : undefined;
    if (!c || (c.is_private && !c.members.has(state.botUserId))) throw new SlackApiError('channel_not_found');
    return { channel: channelJson(c, state.botUserId) };
  },

  'conversations.list': ({ state, args }) => {
    const types = new Set(
      (args.str('types') ?? 'public_channel')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    );
    for (const t of types) {
      if (!['public_channel', 'private_channel', 'im', 'mpim'].includes(t)) throw new SlackApiError('invalid_types');
    }
    const excludeArchived = args.bool('exclude_archived') ?? false;
    const visible = [...state.channels.values()].filter((c) => {
      if (!types.has(TYPE_OF_KIND[c.kind])) return false;
      if (excludeArchived && c.is_archived) return false;
      // Private conversations are listed only when the bot is in them.
      return c.kind === 'channel' || c.members.has(state.botUserId);
    });
    const { page, nextCursor } = paginate(visible, args, 'channel', (c) => c.id);
    return {
      channels: page.map((c) => channelJson(c, state.botUserId)),
      response_metadata: { next_cursor: nextCursor },
    };
  },
};
