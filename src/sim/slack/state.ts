/**
 * Everything the simulated workspace knows, behind one object: who is in it
 * (state/users.ts), which conversations exist (state/conversations.ts) and what was said in
 * them (state/messages.ts), which views are on whose screen (state/views.ts), and the
 * short-lived handles Slack gives an app (state/handles.ts). Every change to what a person
 * would see is announced on `onChange` (state/changes.ts).
 */
import { ChangeFeed, type ChangeListener } from './state/changes.js';
import { StateContext, type StateOptions } from './state/context.js';
import { Conversations, type NewChannel } from './state/conversations.js';
import { Handles } from './state/handles.js';
import { MessageStore, type BotMessageContent, type MessageEdit, type NewEphemeral } from './state/messages.js';
import { UserDirectory, type NewUser } from './state/users.js';
import { ViewStore, type ViewLinks } from './state/views.js';
import type {
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

export type { NewChannel } from './state/conversations.js';
export type { NewUser } from './state/users.js';
export type { StateOptions } from './state/context.js';
export type { SimChange, ChangeListener } from './state/changes.js';
export { MAX_MODAL_STACK } from './state/views.js';

export class WorkspaceState {
  readonly team: SimTeam;
  readonly appId: string;
  readonly botId: string;
  readonly botUserId: string;
  readonly opts: StateOptions;
  readonly now: () => number;
  readonly users: Map<string, SimUser>;
  readonly channels: Map<string, SimChannel>;
  readonly messages: Map<string, SimMessage[]>;
  readonly deletedMessages: SimMessage[];
  readonly ephemerals: SimEphemeral[];
  readonly views: Map<string, SimView>;
  /** Each user's open modal: view ids from root to top. */
  readonly modalStacks: Map<string, string[]>;
  readonly homeViews: Map<string, string>;
  readonly files: Map<string, SimFile>;
  readonly triggers: Map<string, SimTrigger>;
  readonly responseUrls: Map<string, ResponseUrlRecord>;

  private readonly feed = new ChangeFeed();
  private readonly ctx: StateContext;
  private readonly directory: UserDirectory;
  private readonly conversationStore: Conversations;
  private readonly messageStore: MessageStore;
  private readonly viewStore: ViewStore;
  private readonly handles: Handles;

  constructor(opts: StateOptions) {
    this.opts = opts;
    this.team = opts.team;
    this.appId = opts.appId;
    this.botId = opts.botId;
    this.botUserId = opts.botUserId;
    this.now = opts.now;
    this.ctx = new StateContext(opts, this.feed);
    this.directory = new UserDirectory(this.ctx);
    this.conversationStore = new Conversations(this.ctx, this.directory);
    this.messageStore = new MessageStore(this.ctx, this.conversationStore);
    this.viewStore = new ViewStore(this.ctx);
    this.handles = new Handles(this.ctx);
    this.users = this.directory.users;
    this.channels = this.conversationStore.channels;
    this.messages = this.conversationStore.messages;
    this.deletedMessages = this.messageStore.deletedMessages;
    this.ephemerals = this.messageStore.ephemerals;
    this.views = this.viewStore.views;
    this.modalStacks = this.viewStore.modalStacks;
    this.homeViews = this.viewStore.homeViews;
    this.files = this.handles.files;
    this.triggers = this.handles.triggers;
    this.responseUrls = this.handles.responseUrls;
    this.directory.put({
      ...this.directory.defaults(opts.botUserId, opts.botName),
      real_name: 'Steward',
      is_bot: true,
      bot_id: opts.botId,
    });
  }

  /** Base URL of the sim's HTTP server ("http://127.0.0.1:port"), set once it listens. */
  get baseUrl(): string {
    return this.handles.baseUrl;
  }

  set baseUrl(url: string) {
    this.handles.baseUrl = url;
  }

  /** Calls `listener` after every change a person could see; returns the unsubscribe function. */
  readonly onChange = (listener: ChangeListener): (() => void) => this.feed.onChange(listener);
  readonly nextTs = (): string => this.ctx.nextTs();

  // users (state/users.ts)
  readonly addUser = (u: NewUser = {}): SimUser => this.directory.add(u);
  readonly updateUser = (id: string, patch: Partial<Omit<SimUser, 'id'>>): SimUser => this.directory.update(id, patch);
  readonly user = (id: string): SimUser | undefined => this.directory.get(id);
  readonly userByEmail = (email: string): SimUser | undefined => this.directory.byEmail(email);
  /** Every user, bots and deactivated users included, in the order they were added. */
  readonly listUsers = (): SimUser[] => this.directory.list();

  /** Deactivation as Slack does it: the user stays, flagged deleted; their DM is archived. */
  deactivateUser(id: string): SimUser {
    const u = this.directory.update(id, { deleted: true });
    const dm = this.conversationStore.dmWith(id);
    if (dm && !dm.is_archived) this.conversationStore.setArchived(dm.id, true);
    return u;
  }

  // conversations (state/conversations.ts)
  readonly addChannel = (c: NewChannel): SimChannel => this.conversationStore.add(c);
  readonly channel = (id: string): SimChannel | undefined => this.conversationStore.get(id);
  readonly channelByName = (name: string): SimChannel | undefined => this.conversationStore.byName(name);
  /** The app's DM with a user, created on first use with a stable D… id (conversations.open). */
  readonly openDm = (userId: string): SimChannel => this.conversationStore.openDm(userId);
  readonly dmWith = (userId: string): SimChannel | undefined => this.conversationStore.dmWith(userId);
  /** A multi-person DM among the bot and the given users (same set → same conversation). */
  readonly openMpim = (userIds: string[]): SimChannel => this.conversationStore.openMpim(userIds);
  readonly joinChannel = (channelId: string, userId: string): SimChannel =>
    this.conversationStore.join(channelId, userId);
  readonly leaveChannel = (channelId: string, userId: string): SimChannel =>
    this.conversationStore.leave(channelId, userId);
  readonly archiveChannel = (channelId: string, archived = true): SimChannel =>
    this.conversationStore.setArchived(channelId, archived);
  /** Every conversation (channels, private channels, DMs, group DMs); `members` lists who is in each. */
  readonly conversations = (): SimChannel[] => this.conversationStore.list();
  /** The conversations a person is in: their sidebar, their DM with the app included. */
  readonly conversationsFor = (userId: string): SimChannel[] => this.conversationStore.of(userId);

  // messages (state/messages.ts)
  /** Messages of a conversation, oldest first (top-level and replies alike), edits applied in place. */
  readonly history = (channelId: string): SimMessage[] => this.messageStore.history(channelId);
  readonly message = (channelId: string, ts: string): SimMessage | undefined =>
    this.messageStore.message(channelId, ts);
  readonly replies = (channelId: string, threadTs: string): SimMessage[] =>
    this.messageStore.replies(channelId, threadTs);
  /** The bot posting into a conversation. Blocks are stored with generated ids, as Slack stores them. */
  readonly postAsBot = (channelId: string, content: BotMessageContent): SimMessage =>
    this.messageStore.postAsBot(channelId, content);
  /** A human posting (seeding history, or the sandbox page typing as a user). */
  readonly postAsUser = (channelId: string, userId: string, text: string, threadTs?: string): SimMessage =>
    this.messageStore.postAsUser(channelId, userId, text, threadTs);
  readonly updateMessage = (channelId: string, ts: string, content: MessageEdit): SimMessage =>
    this.messageStore.updateMessage(channelId, ts, content);
  readonly deleteMessage = (channelId: string, ts: string): SimMessage =>
    this.messageStore.deleteMessage(channelId, ts);
  readonly addEphemeral = (e: NewEphemeral): SimEphemeral => this.messageStore.addEphemeral(e);
  readonly replaceEphemeral = (old: SimEphemeral, next: Omit<SimEphemeral, 'message_ts'>): SimEphemeral =>
    this.messageStore.replaceEphemeral(old, next);
  readonly deleteEphemeral = (e: SimEphemeral): void => this.messageStore.deleteEphemeral(e);
  /** What one user currently sees as ephemeral messages (optionally in one conversation), oldest first. */
  readonly ephemeralsFor = (userId: string, channelId?: string): SimEphemeral[] =>
    this.messageStore.ephemeralsFor(userId, channelId);
  readonly ephemeral = (channelId: string, ts: string): SimEphemeral | undefined =>
    this.messageStore.ephemeral(channelId, ts);

  // views (state/views.ts)
  readonly newHash = (): string => this.viewStore.newHash();
  /** Stores a view object as Slack would hold it (ids filled in, fresh hash). */
  readonly createView = (user: string, view: JsonObject, links: ViewLinks = {}): SimView =>
    this.viewStore.createView(user, view, links);
  /** Replaces a view's content in place (views.update, response_action: update). */
  readonly applyViewContent = (v: SimView, view: JsonObject): void => this.viewStore.applyViewContent(v, view);
  /** Records what the user typed into a view's inputs (`state.values`). */
  readonly setViewValues = (v: SimView, values: SimView['state']['values']): void =>
    this.viewStore.setValues(v, values);
  readonly setViewErrors = (v: SimView, errors: Record<string, string> | undefined): void =>
    this.viewStore.setErrors(v, errors);
  readonly viewByExternalId = (externalId: string): SimView | undefined => this.viewStore.viewByExternalId(externalId);
  /** The modal stack a user has open (root first), or an empty list. */
  readonly modalStack = (userId: string): SimView[] => this.viewStore.modalStack(userId);
  readonly openModal = (userId: string, view: JsonObject): SimView => this.viewStore.openModal(userId, view);
  readonly pushModal = (userId: string, view: JsonObject): SimView => this.viewStore.pushModal(userId, view);
  /** Pops the top view of a user's modal (closing the modal when it was the root). */
  readonly popModal = (userId: string): void => this.viewStore.popModal(userId);
  readonly closeModal = (userId: string): void => this.viewStore.closeModal(userId);
  readonly homeView = (userId: string): SimView | undefined => this.viewStore.homeView(userId);
  /** views.publish: creates the user's Home tab or replaces its content. */
  readonly publishHome = (userId: string, view: JsonObject): SimView => this.viewStore.publishHome(userId, view);

  // handles (state/handles.ts)
  readonly issueTrigger = (userId: string, viewId?: string): SimTrigger => this.handles.issueTrigger(userId, viewId);
  /** Spends a trigger id for views.open / views.push, with Slack's three failure modes. */
  readonly exchangeTrigger = (id: string): SimTrigger => this.handles.exchangeTrigger(id);
  readonly issueResponseUrl = (r: Parameters<Handles['issueResponseUrl']>[0]): ResponseUrlRecord =>
    this.handles.issueResponseUrl(r);
  readonly responseUrlByUrl = (url: string): ResponseUrlRecord | undefined => this.handles.responseUrlByUrl(url);
  readonly newFile = (f: Parameters<Handles['newFile']>[0]): SimFile => this.handles.newFile(f);
}
