import { slackId } from '../ids.js';
import type { SimChannel, SimMessage } from '../types.js';
import type { StateContext } from './context.js';
import type { UserDirectory } from './users.js';

export interface NewChannel {
  id?: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  /** Human members (user ids). */
  members?: string[];
  /** Whether the app's bot user is in the channel (default true). */
  botMember?: boolean;
  topic?: string;
  purpose?: string;
}

/**
 * Channels, private channels, the app's DMs and multi-person DMs, with their members.
 * `messages` holds each conversation's message list (filled by MessageStore), created empty
 * with the conversation.
 */
export class Conversations {
  readonly channels = new Map<string, SimChannel>();
  readonly messages = new Map<string, SimMessage[]>();

  constructor(
    private readonly ctx: StateContext,
    private readonly users: UserDirectory,
  ) {}

  private store(c: SimChannel): SimChannel {
    this.channels.set(c.id, c);
    this.messages.set(c.id, []);
    this.ctx.emit({ kind: 'channel.changed', channel: c.id });
    return c;
  }

  private base(id: string, kind: SimChannel['kind'], members: Set<string>): SimChannel {
    return {
      id,
      kind,
      name: '',
      is_private: kind !== 'channel',
      is_archived: false,
      is_general: false,
      created: this.ctx.nowSec(),
      creator: this.ctx.botUserId,
      members,
      user: undefined,
      topic: '',
      purpose: '',
    };
  }

  add(c: NewChannel): SimChannel {
    const isPrivate = c.is_private ?? false;
    const id = c.id ?? slackId(isPrivate ? 'G' : 'C');
    if (this.channels.has(id)) throw new Error(`channel ${id} already exists`);
    const members = new Set(c.members ?? []);
    if (c.botMember ?? true) members.add(this.ctx.botUserId);
    return this.store({
      ...this.base(id, isPrivate ? 'group' : 'channel', members),
      name: c.name.replace(/^#/, ''),
      is_archived: c.is_archived ?? false,
      creator: [...members].find((m) => m !== this.ctx.botUserId) ?? this.ctx.botUserId,
      topic: c.topic ?? '',
      purpose: c.purpose ?? '',
    });
  }

  get(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  byName(name: string): SimChannel | undefined {
    const wanted = name.replace(/^#/, '');
    for (const c of this.channels.values()) if (c.kind !== 'im' && c.name === wanted) return c;
    return undefined;
  }

  /** The app's DM with a user, created on first use with a stable D… id (conversations.open). */
  openDm(userId: string): SimChannel {
    const existing = this.dmWith(userId);
    if (existing) return existing;
    const dm = this.base(slackId('D'), 'im', new Set([this.ctx.botUserId, userId]));
    dm.user = userId;
    dm.is_archived = this.users.get(userId)?.deleted ?? false;
    return this.store(dm);
  }

  dmWith(userId: string): SimChannel | undefined {
    for (const c of this.channels.values()) if (c.kind === 'im' && c.user === userId) return c;
    return undefined;
  }

  /** A multi-person DM among the bot and the given users (same set → same conversation). */
  openMpim(userIds: string[]): SimChannel {
    const members = new Set([this.ctx.botUserId, ...userIds]);
    for (const c of this.channels.values()) {
      if (c.kind === 'mpim' && c.members.size === members.size && [...members].every((m) => c.members.has(m))) return c;
    }
    const names = userIds.map((id) => this.users.get(id)?.name ?? id);
    const c = this.base(slackId('G'), 'mpim', members);
    c.name = `mpdm-${names.join('--')}-1`;
    return this.store(c);
  }

  join(channelId: string, userId: string): SimChannel {
    return this.change(channelId, (c) => c.members.add(userId));
  }

  leave(channelId: string, userId: string): SimChannel {
    return this.change(channelId, (c) => c.members.delete(userId));
  }

  setArchived(channelId: string, archived: boolean): SimChannel {
    return this.change(channelId, (c) => {
      c.is_archived = archived;
    });
  }

  private change(channelId: string, apply: (c: SimChannel) => void): SimChannel {
    const c = this.channels.get(channelId);
    if (!c) throw new Error(`no channel ${channelId}`);
    apply(c);
    this.ctx.emit({ kind: 'channel.changed', channel: c.id });
    return c;
  }

  list(): SimChannel[] {
    return [...this.channels.values()];
  }

  /** What a person's sidebar holds: conversations they are a member of (their DM with the app included). */
  of(userId: string): SimChannel[] {
    return this.list().filter((c) => c.members.has(userId));
  }
}
