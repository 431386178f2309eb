import { randomInt } from 'node:crypto';
import { interactiveElements } from './blocks.js';
import type { Json, JsonObject, SimChannel, SimMessage, SimUser, SimView } from './types.js';

/** Slack's user object as users.info / users.list / users.lookupByEmail return it. */
export function userJson(u: SimUser): JsonObject {
  const profile: JsonObject = {
    real_name: u.real_name,
    real_name_normalized: u.real_name,
    display_name: u.display_name,
    display_name_normalized: u.display_name,
    team: u.team_id,
    image_48: `https://avatars.sim.slack/${u.id}_48.png`,
    image_72: `https://avatars.sim.slack/${u.id}_72.png`,
  };
  if (u.email !== undefined) profile.email = u.email;
  if (u.bot_id !== undefined) profile.bot_id = u.bot_id;
  return {
    id: u.id,
    team_id: u.team_id,
    name: u.name,
    deleted: u.deleted,
    real_name: u.real_name,
    tz: u.tz,
    tz_label: u.tz_label,
    tz_offset: u.tz_offset,
    profile,
    is_admin: u.is_admin,
    is_owner: u.is_owner,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: u.is_bot,
    is_app_user: u.is_app_user,
    updated: u.updated,
  };
}

/** Slack's conversation object, from the point of view of the app's bot user. */
export function channelJson(c: SimChannel, botUserId: string): JsonObject {
  if (c.kind === 'im') {
    return {
      id: c.id,
      created: c.created,
      is_im: true,
      is_org_shared: false,
      user: c.user ?? '',
      is_user_deleted: false,
      priority: 0,
      is_archived: c.is_archived,
    };
  }
  const isMember = c.members.has(botUserId);
  return {
    id: c.id,
    name: c.name,
    name_normalized: c.name,
    is_channel: c.kind === 'channel',
    is_group: c.kind === 'group',
    is_im: false,
    is_mpim: c.kind === 'mpim',
    is_private: c.is_private,
    created: c.created,
    is_archived: c.is_archived,
    is_general: c.is_general,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_member: isMember,
    creator: c.creator,
    topic: { value: c.topic, creator: '', last_set: 0 },
    purpose: { value: c.purpose, creator: '', last_set: 0 },
    num_members: c.members.size,
  };
}

export function messageJson(m: SimMessage): JsonObject {
  const { channel: _channel, ...rest } = m;
  return JSON.parse(JSON.stringify(rest)) as JsonObject;
}

export function viewJson(v: SimView): JsonObject {
  const out: JsonObject = {
    id: v.id,
    team_id: v.team_id,
    type: v.type,
    blocks: v.blocks,
    private_metadata: v.private_metadata,
    callback_id: v.callback_id,
    state: v.state,
    hash: v.hash,
    title: v.title,
    clear_on_close: v.clear_on_close,
    notify_on_close: v.notify_on_close,
    close: v.close,
    submit: v.submit,
    previous_view_id: v.previous_view_id,
    root_view_id: v.root_view_id,
    app_id: v.app_id,
    external_id: v.external_id,
    app_installed_team_id: v.app_installed_team_id,
    bot_id: v.bot_id,
  };
  return JSON.parse(JSON.stringify(out)) as JsonObject;
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=+/';

function shortId(len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return s;
}

/**
 * Slack stores blocks with every block_id and action_id filled in (it generates the
 * missing ones), and that stored form is what interaction payloads carry back.
 */
export function withGeneratedIds(blocks: unknown): Json[] {
  const copy = JSON.parse(JSON.stringify(blocks ?? [])) as Json[];
  for (const b of copy) {
    if (b && typeof b === 'object' && !Array.isArray(b) && b.block_id === undefined) b.block_id = shortId(5);
  }
  for (const { element } of interactiveElements(copy)) {
    if (element.action_id === undefined) element.action_id = shortId(4);
  }
  return copy;
}
