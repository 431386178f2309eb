/**
 * Records kept by the simulated Slack workspace. Field names follow Slack's own JSON
 * so a record can be handed back on the wire (or placed in a payload) without renaming.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SimTeam {
  id: string;
  domain: string;
  name: string;
}

export interface SimUser {
  id: string;
  team_id: string;
  /** The handle (`name` in Slack's user object). */
  name: string;
  real_name: string;
  display_name: string;
  email: string | undefined;
  is_bot: boolean;
  is_app_user: boolean;
  is_admin: boolean;
  is_owner: boolean;
  /** A guest ("Indicates whether or not the user is a guest user"). */
  is_restricted: boolean;
  /** A single-channel guest (is_restricted is then true as well). */
  is_ultra_restricted: boolean;
  deleted: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  /** Set for bot users: the B… id of the bot behind the user. */
  bot_id: string | undefined;
  updated: number;
}

export type ConversationKind = 'channel' | 'group' | 'im' | 'mpim';

export interface SimChannel {
  id: string;
  kind: ConversationKind;
  /** Empty for IMs (Slack gives them no name). */
  name: string;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  created: number;
  creator: string;
  /** Member user ids, the app's bot user included when the bot is in the conversation. */
  members: Set<string>;
  /** For IMs: the human on the other side of the bot. */
  user: string | undefined;
  topic: string;
  purpose: string;
}

export interface SimMessage {
  type: 'message';
  subtype?: string;
  ts: string;
  channel: string;
  team: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  blocks?: Json[];
  attachments?: Json[];
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: JsonObject[];
  metadata?: Json;
}

/** An ephemeral message: visible to one user in one conversation, never in history. */
export interface SimEphemeral {
  message_ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Json[];
  attachments?: Json[];
  thread_ts?: string;
  /** How it reached the user. */
  source: 'chat.postEphemeral' | 'response_url' | 'command_ack';
  /** Set once replaced or deleted through a response_url. */
  deleted?: boolean;
}

export type ViewType = 'modal' | 'home';

export interface SimView {
  id: string;
  team_id: string;
  type: ViewType;
  /** Whose screen this view is on. */
  user: string;
  title: JsonObject | null;
  submit: JsonObject | null;
  close: JsonObject | null;
  blocks: Json[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  hash: string;
  state: { values: Record<string, Record<string, JsonObject>> };
  root_view_id: string | null;
  previous_view_id: string | null;
  clear_on_close: boolean;
  notify_on_close: boolean;
  app_id: string;
  bot_id: string;
  app_installed_team_id: string;
  /** False once the modal was closed (submitted, cleared or dismissed). Home tabs stay open. */
  open: boolean;
  /** Field errors the app returned with `response_action: errors`, shown under the inputs. */
  errors: Record<string, string> | undefined;
}

export interface SimFile {
  id: string;
  name: string;
  title: string;
  /** The size the app announced in files.getUploadURLExternal. */
  declared_length: number;
  alt_text: string | undefined;
  snippet_type: string | undefined;
  /** The bytes posted to the upload URL, once they arrived. */
  bytes: Buffer | undefined;
  completed: boolean;
  channels: string[];
  initial_comment: string | undefined;
  user: string;
  created: number;
  upload_secret: string;
}

export interface SimTrigger {
  id: string;
  user: string;
  issuedAt: number;
  expiresAt: number;
  exchanged: boolean;
  /** The modal the interaction came from, which views.push stacks onto. */
  viewId: string | undefined;
}

export interface ResponseUrlPost {
  at: number;
  body: unknown;
  /** What the sim did with it. */
  outcome: 'replaced' | 'deleted' | 'ephemeral' | 'in_channel' | 'rejected';
  error?: string;
  /** The message or ephemeral ts the post created or changed. */
  ts?: string;
}

/** A response_url handed to the app, and everything the app sent to it. */
export interface ResponseUrlRecord {
  id: string;
  url: string;
  kind: 'command' | 'action';
  user: string;
  channel: string;
  /** For actions: the message carrying the clicked element. */
  messageTs: string | undefined;
  messageIsEphemeral: boolean;
  /** The ts of the last message produced through this URL (what replace_original targets for commands). */
  lastTs: string | undefined;
  lastWasEphemeral: boolean;
  issuedAt: number;
  uses: number;
  posts: ResponseUrlPost[];
}
