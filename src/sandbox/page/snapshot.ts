/**
 * The workspace as the page shows it, read from the Slack simulator's state: people,
 * conversations, messages with their blocks and thread replies, one person's ephemeral
 * messages, modals and Home tab. Block Kit passes through exactly as the sim stored it.
 */
import type { WorkspaceState } from '../../sim/slack/index.js';
import type { SimChannel, SimMessage, SimUser, SimView } from '../../sim/slack/types.js';
import type {
  ConversationJson,
  ConversationStateJson,
  EphemeralJson,
  MessageJson,
  UserJson,
  ViewJson,
  ViewsJson,
  WorkspaceJson,
} from '../web/types.js';
import { PageError } from './http.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

export function userJson(u: SimUser): UserJson {
  return {
    id: u.id,
    name: u.name,
    real_name: u.real_name,
    display_name: u.display_name,
    email: u.email ?? null,
    is_bot: u.is_bot,
    is_admin: u.is_admin,
    is_owner: u.is_owner,
    deleted: u.deleted,
    tz_offset: u.tz_offset,
  };
}

export function conversationJson(c: SimChannel): ConversationJson {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    user: c.user ?? null,
    members: [...c.members],
    is_private: c.is_private,
    is_archived: c.is_archived,
    topic: c.topic,
  };
}

export function workspaceJson(
  state: WorkspaceState,
  opts: { homeChannel: string | undefined; appName: string; features: WorkspaceJson['features'] },
): WorkspaceJson {
  const conversations = state.conversations().map(conversationJson);
  const home = opts.homeChannel
    ? (state.channel(opts.homeChannel) ?? state.channelByName(opts.homeChannel))?.id
    : undefined;
  return {
    team: { ...state.team },
    botUserId: state.botUserId,
    appId: state.appId,
    appName: opts.appName,
    users: state.listUsers().map(userJson),
    conversations,
    homeChannel: home ?? null,
    features: opts.features,
  };
}

function messageJson(m: SimMessage): MessageJson {
  const out: MessageJson = { ts: m.ts, text: m.text };
  if (m.user !== undefined) out.user = m.user;
  if (m.bot_id !== undefined) out.bot_id = m.bot_id;
  if (m.subtype !== undefined) out.subtype = m.subtype;
  if (m.blocks !== undefined) out.blocks = clone(m.blocks) as MessageJson['blocks'];
  if (m.attachments !== undefined) out.attachments = clone(m.attachments) as MessageJson['attachments'];
  if (m.thread_ts !== undefined) out.thread_ts = m.thread_ts;
  if (m.reply_count !== undefined) out.reply_count = m.reply_count;
  if (m.edited !== undefined) out.edited = { ...m.edited };
  return out;
}

/** A conversation's messages (replies under their parent) and what `asUser` alone sees in it. */
export function conversationStateJson(
  state: WorkspaceState,
  channelId: string,
  asUser: string | undefined,
  now: number,
): ConversationStateJson {
  if (!state.channel(channelId)) throw new PageError(404, 'channel_not_found', `no conversation ${channelId}`);
  const all = state.history(channelId);
  const top: MessageJson[] = [];
  const byTs = new Map<string, MessageJson>();
  for (const m of all) {
    if (m.thread_ts !== undefined && m.thread_ts !== m.ts) continue;
    const json = messageJson(m);
    top.push(json);
    byTs.set(m.ts, json);
  }
  for (const m of all) {
    if (m.thread_ts === undefined || m.thread_ts === m.ts) continue;
    const parent = byTs.get(m.thread_ts);
    // A reply whose parent was deleted is shown on its own, as Slack keeps the thread.
    if (parent) (parent.replies ??= []).push(messageJson(m));
    else top.push(messageJson(m));
  }
  const ephemerals: EphemeralJson[] = asUser
    ? state.ephemeralsFor(asUser, channelId).map((e) => {
        const out: EphemeralJson = {
          ts: e.message_ts,
          channel: e.channel,
          user: e.user,
          text: e.text,
          source: e.source,
        };
        if (e.blocks !== undefined) out.blocks = clone(e.blocks) as EphemeralJson['blocks'];
        if (e.attachments !== undefined) out.attachments = clone(e.attachments) as EphemeralJson['attachments'];
        if (e.thread_ts !== undefined) out.thread_ts = e.thread_ts;
        return out;
      })
    : [];
  return { id: channelId, now, messages: top, ephemerals };
}

export function viewJson(v: SimView): ViewJson {
  return clone({
    id: v.id,
    type: v.type,
    title: v.title,
    submit: v.submit,
    close: v.close,
    blocks: v.blocks,
    callback_id: v.callback_id,
    hash: v.hash,
    state: v.state,
    errors: v.errors ?? null,
    previous_view_id: v.previous_view_id,
  }) as ViewJson;
}

/** The modal stack on `userId`'s screen and their Home tab. */
export function viewsJson(state: WorkspaceState, userId: string, now: number): ViewsJson {
  const home = state.homeView(userId);
  return { now, modals: state.modalStack(userId).map(viewJson), home: home ? viewJson(home) : null };
}
