import { SlackApiError } from '../errors.js';
import { channelJson } from '../shapes.js';
import type { WorkspaceState } from '../state.js';
import type { SimChannel } from '../types.js';
import { paginate, type MethodTable } from './common.js';

const TYPE_OF_KIND: Record<SimChannel['kind'], string> = {
  channel: 'public_channel',
  group: 'private_channel',
  im: 'im',
  mpim: 'mpim',
};

/** conversations.list: "Must be an integer under 1000", default 100 (its reference page). */
const LIST_DEFAULT_LIMIT = 100;
const LIST_MAX_LIMIT = 999;

function conversationJson(state: WorkspaceState, c: SimChannel) {
  return channelJson(c, state.botUserId, c.kind === 'im' && c.user ? (state.user(c.user)?.deleted ?? false) : false);
}

export const conversationMethods: MethodTable = {
  // https://docs.slack.dev/reference/methods/conversations.open: 1 to 8 users; one user
  // opens (or resumes) the app's DM with them. Errors: user_not_found, user_disabled ("A
  // specified user has been disabled"), not_enough_users, too_many_users,
  // users_list_not_supplied, channel_not_found, method_not_supported_for_channel_type.
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
      return { no_op: true, already_open: true, channel: returnIm ? conversationJson(state, c) : { id: c.id } };
    }
    // "Don't include the ID of the user you're calling conversations.open on behalf of – we do that for you."
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
      // The page documents no error for a bot user. `cannot_dm_bot` is the name the legacy
      // im.open family used for it; the sim answers it rather than open a DM with a bot.
      if (u.is_bot) throw new SlackApiError('cannot_dm_bot');
    }
    if (ids.length === 1) {
      const existing = state.dmWith(ids[0]!);
      if (!existing && preventCreation) throw new SlackApiError('channel_not_found');
      const dm = existing ?? state.openDm(ids[0]!);
      const body: Record<string, unknown> = { channel: returnIm ? conversationJson(state, dm) : { id: dm.id } };
      if (existing) Object.assign(body, { no_op: true, already_open: true });
      return body;
    }
    const mpim = state.openMpim(ids);
    return { channel: returnIm ? conversationJson(state, mpim) : { id: mpim.id } };
  },

  'conversations.info': ({ state, args }) => {
    const id = args.str('channel');
    const c = id ? state.channel(id) : undefined;
    if (!c || (c.is_private && !c.members.has(state.botUserId))) throw new SlackApiError('channel_not_found');
    return { channel: conversationJson(state, c) };
  },

  // https://docs.slack.dev/reference/methods/conversations.list: `types` default
  // public_channel; `limit` default 100, under 1000 (invalid_limit when it is not a number);
  // "any filters used in the request are applied after retrieving a virtual page's limit"
  // (exclude_archived may leave a page short, with more behind the cursor).
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
    if (args.has('limit') && args.int('limit') === undefined) throw new SlackApiError('invalid_limit');
    // Private conversations are listed only when the bot is in them.
    const visible = state
      .conversations()
      .filter((c) => types.has(TYPE_OF_KIND[c.kind]) && (c.kind === 'channel' || c.members.has(state.botUserId)));
    const { page, nextCursor } = paginate(visible, args, 'channel', (c) => c.id, {
      defaultLimit: LIST_DEFAULT_LIMIT,
      maxLimit: LIST_MAX_LIMIT,
    });
    const excludeArchived = args.bool('exclude_archived') ?? false;
    return {
      channels: page.filter((c) => !(excludeArchived && c.is_archived)).map((c) => conversationJson(state, c)),
      response_metadata: { next_cursor: nextCursor },
    };
  },
};
