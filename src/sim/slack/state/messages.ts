import { SlackApiError } from '../errors.js';
import { withGeneratedIds } from '../shapes.js';
import type { Json, JsonObject, SimEphemeral, SimMessage } from '../types.js';
import type { StateContext } from './context.js';
import type { Conversations } from './conversations.js';

export interface BotMessageContent {
  text: string;
  blocks?: unknown;
  attachments?: unknown;
  thread_ts?: string;
  files?: JsonObject[];
  metadata?: Json;
}

/** What chat.update may change; `metadata: null` removes it. */
export interface MessageEdit {
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  metadata?: Json | null;
}

export type NewEphemeral = Omit<SimEphemeral, 'message_ts'> & { message_ts?: string };

const copy = <T>(x: unknown): T => JSON.parse(JSON.stringify(x)) as T;

/** What was said: each conversation's messages (replies included), and ephemeral messages. */
export class MessageStore {
  readonly deletedMessages: SimMessage[] = [];
  readonly ephemerals: SimEphemeral[] = [];

  constructor(
    private readonly ctx: StateContext,
    private readonly conversations: Conversations,
  ) {}

  private list(channelId: string): SimMessage[] {
    const list = this.conversations.messages.get(channelId);
    if (!list) throw new Error(`no channel ${channelId}`);
    return list;
  }

  /** Messages of a conversation, oldest first (top-level and replies alike), edits applied in place. */
  history(channelId: string): SimMessage[] {
    return this.conversations.messages.get(channelId) ?? [];
  }

  message(channelId: string, ts: string): SimMessage | undefined {
    return this.history(channelId).find((m) => m.ts === ts);
  }

  replies(channelId: string, threadTs: string): SimMessage[] {
    return this.history(channelId).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  /** The bot posting into a conversation. Blocks are stored with generated ids, as Slack stores them. */
  postAsBot(channelId: string, content: BotMessageContent): SimMessage {
    const list = this.list(channelId);
    const msg: SimMessage = {
      ...this.newMessage(channelId, content.text, this.ctx.botUserId),
      bot_id: this.ctx.botId,
      app_id: this.ctx.appId,
    };
    if (content.blocks !== undefined) msg.blocks = withGeneratedIds(content.blocks);
    if (content.attachments !== undefined) msg.attachments = copy<Json[]>(content.attachments);
    if (content.files !== undefined) msg.files = content.files;
    if (content.metadata !== undefined) msg.metadata = content.metadata;
    return this.append(list, msg, content.thread_ts);
  }

  /** A human posting (seeding history, or the sandbox page typing as a user). */
  postAsUser(channelId: string, userId: string, text: string, threadTs?: string): SimMessage {
    const list = this.list(channelId);
    return this.append(list, this.newMessage(channelId, text, userId), threadTs);
  }

  /** What every posted message carries: its new ts, where it is, its text and who posted it. */
  private newMessage(channelId: string, text: string, user: string): SimMessage {
    return { type: 'message', ts: this.ctx.nextTs(), channel: channelId, team: this.ctx.team.id, text, user };
  }

  private append(list: SimMessage[], msg: SimMessage, threadTs: string | undefined): SimMessage {
    const parent = threadTs === undefined ? undefined : list.find((m) => m.ts === threadTs);
    if (threadTs !== undefined) {
      msg.thread_ts = threadTs;
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), msg.user ?? this.ctx.botUserId])];
        parent.latest_reply = msg.ts;
      }
    }
    list.push(msg);
    this.ctx.emit({ kind: 'message.posted', channel: msg.channel, ts: msg.ts });
    if (parent) this.ctx.emit({ kind: 'message.updated', channel: parent.channel, ts: parent.ts });
    return msg;
  }

  updateMessage(channelId: string, ts: string, content: MessageEdit): SimMessage {
    const msg = this.message(channelId, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    if (content.text !== undefined) msg.text = content.text;
    if (content.blocks !== undefined) {
      const blocks = withGeneratedIds(content.blocks);
      if (blocks.length === 0) delete msg.blocks;
      else msg.blocks = blocks;
    }
    if (content.attachments !== undefined) msg.attachments = copy<Json[]>(content.attachments);
    // chat.update keeps metadata it is not given; an empty object (null here) removes it.
    if (content.metadata === null) delete msg.metadata;
    else if (content.metadata !== undefined) msg.metadata = content.metadata;
    msg.edited = { user: this.ctx.botUserId, ts: this.ctx.nextTs() };
    this.ctx.emit({ kind: 'message.updated', channel: channelId, ts });
    return msg;
  }

  deleteMessage(channelId: string, ts: string): SimMessage {
    const list = this.history(channelId);
    const idx = list.findIndex((m) => m.ts === ts);
    if (idx < 0) throw new SlackApiError('message_not_found');
    const [removed] = list.splice(idx, 1);
    this.deletedMessages.push(removed!);
    this.ctx.emit({ kind: 'message.deleted', channel: channelId, ts });
    return removed!;
  }

  addEphemeral(e: NewEphemeral): SimEphemeral {
    const eph: SimEphemeral = { ...e, message_ts: e.message_ts ?? this.ctx.nextTs() };
    if (eph.blocks !== undefined) eph.blocks = withGeneratedIds(eph.blocks);
    this.ephemerals.push(eph);
    this.ctx.emit({ kind: 'ephemeral.posted', channel: eph.channel, user: eph.user, ts: eph.message_ts });
    return eph;
  }

  /**
   * Replaces an ephemeral message in place (response_url `replace_original` on an ephemeral
   * original): the old one is gone, the new one keeps its ts.
   */
  replaceEphemeral(old: SimEphemeral, next: Omit<SimEphemeral, 'message_ts'>): SimEphemeral {
    old.deleted = true;
    return this.addEphemeral({ ...next, message_ts: old.message_ts });
  }

  /** Removes an ephemeral message (response_url `delete_original`). */
  deleteEphemeral(e: SimEphemeral): void {
    if (e.deleted) return;
    e.deleted = true;
    this.ctx.emit({ kind: 'message.deleted', channel: e.channel, ts: e.message_ts });
  }

  /** What one user currently sees as ephemeral messages (optionally in one conversation), oldest first. */
  ephemeralsFor(userId: string, channelId?: string): SimEphemeral[] {
    return this.ephemerals.filter(
      (e) => e.user === userId && !e.deleted && (channelId === undefined || e.channel === channelId),
    );
  }

  ephemeral(channelId: string, ts: string): SimEphemeral | undefined {
    return this.ephemerals.find((e) => e.channel === channelId && e.message_ts === ts && !e.deleted);
  }
}
