import { randomInt } from 'node:crypto';
import { SlackApiError } from './errors.js';
import { secret, slackId, triggerId, TsClock } from './ids.js';
import { withGeneratedIds } from './shapes.js';
import type {
  Json,
  JsonObject,
  ResponseUrlRecord,
  SimChannel,
  SimEphemeral,
  SimFile,
  SimMessage,
  SimTeam,
  SimTrigger,
  SimUser,
  SimView,
} from './types.js';

export interface NewUser {
  id?: string;
  name?: string;
  real_name?: string;
  display_name?: string;
  email?: string;
  is_bot?: boolean;
  is_admin?: boolean;
  is_owner?: boolean;
  deleted?: boolean;
  tz?: string;
  tz_label?: string;
  tz_offset?: number;
}

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

export interface StateOptions {
  team: SimTeam;
  appId: string;
  botId: string;
  botUserId: string;
  botName: string;
  /** Slack's trigger ids live 3 seconds. */
  triggerTtlMs: number;
  /** A response_url accepts 5 posts within 30 minutes. */
  responseUrlTtlMs: number;
  responseUrlMaxUses: number;
  now: () => number;
}

/** How many views a modal may stack (views.push: push_limit_reached past this). */
export const MAX_MODAL_STACK = 3;

/**
 * Everything the simulated workspace knows: who is in it, which conversations exist and
 * what was said in them, which views are on whose screen, uploaded files, and the
 * short-lived handles (trigger ids, response URLs) Slack gives an app.
 */
export class WorkspaceState {
  readonly team: SimTeam;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly users = new Map<string, SimUser>();
  readonly channels = new Map<string, SimChannel>();
  readonly messages = new Map<string, SimMessage[]>();
  readonly deletedMessages: SimMessage[] = [];
  readonly ephemerals: SimEphemeral[] = [];
  readonly views = new Map<string, SimView>();
  /** Each user's open modal: view ids from root to top. */
  readonly modalStacks = new Map<string, string[]>();
  readonly homeViews = new Map<string, string>();
  readonly files = new Map<string, SimFile>();
  readonly triggers = new Map<string, SimTrigger>();
  readonly responseUrls = new Map<string, ResponseUrlRecord>();
  /** Base URL of the sim's HTTP server ("http://127.0.0.1:port"), set once it listens. */
  baseUrl = '';
  readonly opts: StateOptions;
  readonly now: () => number;
  private readonly clock: TsClock;

  constructor(opts: StateOptions) {
    this.opts = opts;
    this.team = opts.team;
    this.appId = opts.appId;
    this.botId = opts.botId;
    this.botUserId = opts.botUserId;
    this.now = opts.now;
    this.clock = new TsClock(opts.now);
    this.users.set(opts.botUserId, {
      ...this.userDefaults(opts.botUserId, opts.botName),
      real_name: 'Steward',
      is_bot: true,
      bot_id: opts.botId,
    });
  }

  nextTs(): string {
    return this.clock.next();
  }

  private nowSec(): number {
    return Math.floor(this.now() / 1000);
  }

  private userDefaults(id: string, name: string): SimUser {
    return {
      id,
      team_id: this.team.id,
      name,
      real_name: name,
      display_name: name,
      email: undefined,
      is_bot: false,
      is_app_user: false,
      is_admin: false,
      is_owner: false,
      deleted: false,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      bot_id: undefined,
      updated: this.nowSec(),
    };
  }

  // ---- users -------------------------------------------------------------------------

  addUser(u: NewUser = {}): SimUser {
    const id = u.id ?? slackId('U');
    if (this.users.has(id)) throw new Error(`user ${id} already exists`);
    const name = u.name ?? (u.email ? u.email.split('@')[0]! : id.toLowerCase());
    const user: SimUser = {
      ...this.userDefaults(id, name),
      real_name: u.real_name ?? name,
      display_name: u.display_name ?? u.real_name ?? name,
      email: u.email,
      is_bot: u.is_bot ?? false,
      is_admin: u.is_admin ?? false,
      is_owner: u.is_owner ?? false,
      deleted: u.deleted ?? false,
      tz: u.tz ?? 'Europe/London',
      tz_label: u.tz_label ?? 'Greenwich Mean Time',
      tz_offset: u.tz_offset ?? 0,
      bot_id: u.is_bot ? slackId('B') : undefined,
    };
    this.users.set(id, user);
    return user;
  }

  updateUser(id: string, patch: Partial<Omit<SimUser, 'id'>>): SimUser {
    const u = this.users.get(id);
    if (!u) throw new Error(`no user ${id}`);
    Object.assign(u, patch, { updated: this.nowSec() });
    return u;
  }

  /** Deactivation as Slack does it: the user stays, flagged deleted; their DM is archived. */
  deactivateUser(id: string): SimUser {
    const u = this.updateUser(id, { deleted: true });
    for (const c of this.channels.values()) {
      if (c.kind === 'im' && c.user === id) c.is_archived = true;
    }
    return u;
  }

  user(id: string): SimUser | undefined {
    return this.users.get(id);
  }

  userByEmail(email: string): SimUser | undefined {
    const wanted = email.trim().toLowerCase();
    for (const u of this.users.values()) if (u.email?.toLowerCase() === wanted) return u;
    return undefined;
  }

  // ---- conversations -------------------------------------------------------------------

  addChannel(c: NewChannel): SimChannel {
    const isPrivate = c.is_private ?? false;
    const id = c.id ?? slackId(isPrivate ? 'G' : 'C');
    if (this.channels.has(id)) throw new Error(`channel ${id} already exists`);
    const members = new Set(c.members ?? []);
    if (c.botMember ?? true) members.add(this.botUserId);
    const channel: SimChannel = {
      id,
      kind: isPrivate ? 'group' : 'channel',
      name: c.name.replace(/^#/, ''),
      is_private: isPrivate,
      is_archived: c.is_archived ?? false,
      is_general: false,
      created: this.nowSec(),
      creator: [...members].find((m) => m !== this.botUserId) ?? this.botUserId,
      members,
      user: undefined,
      topic: c.topic ?? '',
      purpose: c.purpose ?? '',
    };
    this.channels.set(id, channel);
    this.messages.set(id, []);
    return channel;
  }

  channel(id: string): SimChannel | undefined {
    return this.channels.get(id);
  }

  channelByName(name: string): SimChannel | undefined {
    const wanted = name.replace(/^#/, '');
    for (const c of this.channels.values()) if (c.kind !== 'im' && c.name === wanted) return c;
    return undefined;
  }

  /** The app's DM with a user, created on first use with a stable D… id (conversations.open). */
  openDm(userId: string): SimChannel {
    const existing = this.dmWith(userId);
    if (existing) return existing;
    const user = this.users.get(userId);
    const dm: SimChannel = {
      id: slackId('D'),
      kind: 'im',
      name: '',
      is_private: true,
      is_archived: user?.deleted ?? false,
      is_general: false,
      created: this.nowSec(),
      creator: this.botUserId,
      members: new Set([this.botUserId, userId]),
      user: userId,
      topic: '',
      purpose: '',
    };
    this.channels.set(dm.id, dm);
    this.messages.set(dm.id, []);
    return dm;
  }

  dmWith(userId: string): SimChannel | undefined {
    for (const c of this.channels.values()) if (c.kind === 'im' && c.user === userId) return c;
    return undefined;
  }

  /** A multi-person DM among the bot and the given users (same set → same conversation). */
  openMpim(userIds: string[]): SimChannel {
    const members = new Set([this.botUserId, ...userIds]);
    for (const c of this.channels.values()) {
      if (c.kind === 'mpim' && c.members.size === members.size && [...members].every((m) => c.members.has(m))) return c;
    }
    const names = userIds.map((id) => this.users.get(id)?.name ?? id);
    const c: SimChannel = {
      id: slackId('G'),
      kind: 'mpim',
      name: `mpdm-${names.join('--')}-1`,
      is_private: true,
      is_archived: false,
      is_general: false,
      created: this.nowSec(),
      creator: this.botUserId,
      members,
      user: undefined,
      topic: '',
      purpose: '',
    };
    this.channels.set(c.id, c);
    this.messages.set(c.id, []);
    return c;
  }

  // ---- messages -------------------------------------------------------------------------

  /** Messages of a conversation, oldest first (top-level and replies alike). */
  history(channelId: string): SimMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  message(channelId: string, ts: string): SimMessage | undefined {
    return this.history(channelId).find((m) => m.ts === ts);
  }

  replies(channelId: string, threadTs: string): SimMessage[] {
    return this.history(channelId).filter((m) => m.thread_ts === threadTs && m.ts !== threadTs);
  }

  /** The bot posting into a conversation. Blocks are stored with generated ids, as Slack stores them. */
  postAsBot(
    channelId: string,
    content: {
      text: string;
      blocks?: unknown;
      attachments?: unknown;
      thread_ts?: string;
      files?: JsonObject[];
      metadata?: Json;
    },
  ): SimMessage {
    const list = this.messages.get(channelId);
    if (!list) throw new Error(`no channel ${channelId}`);
    const msg: SimMessage = {
      type: 'message',
      ts: this.nextTs(),
      channel: channelId,
      team: this.team.id,
      text: content.text,
      user: this.botUserId,
      bot_id: this.botId,
      app_id: this.appId,
    };
    if (content.blocks !== undefined) msg.blocks = withGeneratedIds(content.blocks);
    if (content.attachments !== undefined) msg.attachments = JSON.parse(JSON.stringify(content.attachments)) as Json[];
    if (content.files !== undefined) msg.files = content.files;
    if (content.metadata !== undefined) msg.metadata = content.metadata;
    if (content.thread_ts !== undefined) {
      msg.thread_ts = content.thread_ts;
      const parent = list.find((m) => m.ts === content.thread_ts);
      if (parent) {
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), this.botUserId])];
        parent.latest_reply = msg.ts;
      }
    }
    list.push(msg);
    return msg;
  }

  /** A human posting (seeding history, or the sandbox page typing as a user). */
  postAsUser(channelId: string, userId: string, text: string, threadTs?: string): SimMessage {
    const list = this.messages.get(channelId);
    if (!list) throw new Error(`no channel ${channelId}`);
    const msg: SimMessage = {
      type: 'message',
      ts: this.nextTs(),
      channel: channelId,
      team: this.team.id,
      text,
      user: userId,
    };
    if (threadTs !== undefined) msg.thread_ts = threadTs;
    list.push(msg);
    return msg;
  }

  updateMessage(
    channelId: string,
    ts: string,
    content: { text?: string; blocks?: unknown; attachments?: unknown; metadata?: Json | null },
  ): SimMessage {
    const msg = this.message(channelId, ts);
    if (!msg) throw new SlackApiError('message_not_found');
    if (content.text !== undefined) msg.text = content.text;
    if (content.blocks !== undefined) {
      const blocks = withGeneratedIds(content.blocks);
      if (blocks.length === 0) delete msg.blocks;
      else msg.blocks = blocks;
    }
    if (content.attachments !== undefined) msg.attachments = JSON.parse(JSON.stringify(content.attachments)) as Json[];
    // chat.update keeps metadata it is not given; an empty object (null here) removes it.
    if (content.metadata === null) delete msg.metadata;
    else if (content.metadata !== undefined) msg.metadata = content.metadata;
    msg.edited = { user: this.botUserId, ts: this.nextTs() };
    return msg;
  }

  deleteMessage(channelId: string, ts: string): SimMessage {
    const list = this.history(channelId);
    const idx = list.findIndex((m) => m.ts === ts);
    if (idx < 0) throw new SlackApiError('message_not_found');
    const [removed] = list.splice(idx, 1);
    this.deletedMessages.push(removed!);
    return removed!;
  }

  addEphemeral(e: Omit<SimEphemeral, 'message_ts'> & { message_ts?: string }): SimEphemeral {
    const eph: SimEphemeral = { ...e, message_ts: e.message_ts ?? this.nextTs() };
    if (eph.blocks !== undefined) eph.blocks = withGeneratedIds(eph.blocks);
    this.ephemerals.push(eph);
    return eph;
  }

  /** What one user currently sees as ephemeral messages (optionally in one conversation). */
  ephemeralsFor(userId: string, channelId?: string): SimEphemeral[] {
    return this.ephemerals.filter(
      (e) => e.user === userId && !e.deleted && (channelId === undefined || e.channel === channelId),
    );
  }

  ephemeral(channelId: string, ts: string): SimEphemeral | undefined {
    return this.ephemerals.find((e) => e.channel === channelId && e.message_ts === ts && !e.deleted);
  }

  // ---- views ----------------------------------------------------------------------------

  newHash(): string {
    return `${this.nowSec()}.${randomInt(10_000_000, 99_999_999)}`;
  }

  /** Stores a view object as Slack would hold it (ids filled in, fresh hash). */
  createView(user: string, view: JsonObject, links: { root?: string | null; previous?: string | null } = {}): SimView {
    const id = slackId('V');
    const v: SimView = {
      id,
      team_id: this.team.id,
      type: view.type === 'home' ? 'home' : 'modal',
      user,
      title: null,
      submit: null,
      close: null,
      blocks: [],
      private_metadata: '',
      callback_id: '',
      external_id: '',
      hash: '',
      state: { values: {} },
      root_view_id: links.root === undefined ? id : links.root,
      previous_view_id: links.previous ?? null,
      clear_on_close: false,
      notify_on_close: false,
      app_id: this.appId,
      bot_id: this.botId,
      app_installed_team_id: this.team.id,
      open: true,
      errors: undefined,
    };
    this.applyViewContent(v, view);
    this.views.set(id, v);
    return v;
  }

  /** Replaces a view's content in place (views.update, response_action: update). */
  applyViewContent(v: SimView, view: JsonObject): void {
    const plain = (x: Json | undefined): JsonObject | null =>
      x && typeof x === 'object' && !Array.isArray(x) ? { emoji: true, ...(x as JsonObject) } : null;
    const previousValues = v.state.values;
    v.blocks = withGeneratedIds(view.blocks);
    v.title = plain(view.title);
    v.submit = plain(view.submit);
    v.close = plain(view.close);
    v.private_metadata = typeof view.private_metadata === 'string' ? view.private_metadata : '';
    v.callback_id = typeof view.callback_id === 'string' ? view.callback_id : '';
    v.external_id = typeof view.external_id === 'string' ? view.external_id : '';
    v.clear_on_close = view.clear_on_close === true;
    v.notify_on_close = view.notify_on_close === true;
    v.hash = this.newHash();
    v.errors = undefined;
    // Entered input survives an update when block_id and action_id stay the same.
    const kept: SimView['state']['values'] = {};
    for (const b of v.blocks) {
      if (!b || typeof b !== 'object' || Array.isArray(b) || typeof b.block_id !== 'string') continue;
      const prev = previousValues[b.block_id];
      if (prev) kept[b.block_id] = prev;
    }
    v.state = { values: kept };
  }

  viewByExternalId(externalId: string): SimView | undefined {
    for (const v of this.views.values()) if (v.external_id === externalId && (v.open || v.type === 'home')) return v;
    return undefined;
  }

  /** The modal stack a user has open (root first), or an empty list. */
  modalStack(userId: string): SimView[] {
    return (this.modalStacks.get(userId) ?? []).map((id) => this.views.get(id)!).filter(Boolean);
  }

  openModal(userId: string, view: JsonObject): SimView {
    this.closeModal(userId);
    const v = this.createView(userId, view);
    this.modalStacks.set(userId, [v.id]);
    return v;
  }

  pushModal(userId: string, view: JsonObject): SimView {
    const stack = this.modalStacks.get(userId);
    if (!stack || stack.length === 0) throw new SlackApiError('not_found');
    if (stack.length >= MAX_MODAL_STACK) throw new SlackApiError('push_limit_reached');
    const top = stack[stack.length - 1]!;
    const v = this.createView(userId, view, { root: stack[0]!, previous: top });
    stack.push(v.id);
    return v;
  }

  /** Pops the top view of a user's modal (closing the modal when it was the root). */
  popModal(userId: string): void {
    const stack = this.modalStacks.get(userId);
    if (!stack) return;
    const id = stack.pop();
    if (id) this.views.get(id)!.open = false;
    if (stack.length === 0) this.modalStacks.delete(userId);
  }

  closeModal(userId: string): void {
    for (const v of this.modalStack(userId)) v.open = false;
    this.modalStacks.delete(userId);
  }

  homeView(userId: string): SimView | undefined {
    const id = this.homeViews.get(userId);
    return id ? this.views.get(id) : undefined;
  }

  // ---- triggers -------------------------------------------------------------------------

  issueTrigger(userId: string, viewId?: string): SimTrigger {
    const now = this.now();
    const t: SimTrigger = {
      id: triggerId(now),
      user: userId,
      issuedAt: now,
      expiresAt: now + this.opts.triggerTtlMs,
      exchanged: false,
      viewId,
    };
    this.triggers.set(t.id, t);
    return t;
  }

  /** Spends a trigger id for views.open / views.push, with Slack's three failure modes. */
  exchangeTrigger(id: string): SimTrigger {
    const t = this.triggers.get(id);
    if (!t) throw new SlackApiError('invalid_trigger_id');
    if (t.exchanged) throw new SlackApiError('exchanged_trigger_id');
    if (this.now() > t.expiresAt) throw new SlackApiError('expired_trigger_id');
    t.exchanged = true;
    return t;
  }

  // ---- response URLs --------------------------------------------------------------------

  issueResponseUrl(r: {
    kind: 'command' | 'action';
    user: string;
    channel: string;
    messageTs?: string;
    messageIsEphemeral?: boolean;
  }): ResponseUrlRecord {
    const id = `${slackId('')}/${secret(12)}`;
    const path = r.kind === 'command' ? 'commands' : 'actions';
    const record: ResponseUrlRecord = {
      id,
      url: `${this.baseUrl}/${path}/${this.team.id}/${id}`,
      kind: r.kind,
      user: r.user,
      channel: r.channel,
      messageTs: r.messageTs,
      messageIsEphemeral: r.messageIsEphemeral ?? false,
      lastTs: undefined,
      lastWasEphemeral: false,
      issuedAt: this.now(),
      uses: 0,
      posts: [],
    };
    this.responseUrls.set(id, record);
    return record;
  }

  responseUrlByUrl(url: string): ResponseUrlRecord | undefined {
    for (const r of this.responseUrls.values()) if (r.url === url) return r;
    return undefined;
  }

  // ---- files ----------------------------------------------------------------------------

  newFile(f: { name: string; length: number; alt_text?: string; snippet_type?: string }): SimFile {
    const file: SimFile = {
      id: slackId('F'),
      name: f.name,
      title: f.name,
      declared_length: f.length,
      alt_text: f.alt_text,
      snippet_type: f.snippet_type,
      bytes: undefined,
      completed: false,
      channels: [],
      initial_comment: undefined,
      user: this.botUserId,
      created: this.nowSec(),
      upload_secret: secret(16),
    };
    this.files.set(file.id, file);
    return file;
  }
}
