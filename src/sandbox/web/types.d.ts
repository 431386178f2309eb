/**
 * The JSON the sandbox page server serves and the page renders: the contract between
 * `src/sandbox/page` (which builds it from the Slack simulator's state) and the browser code
 * here. Block Kit objects pass through as Slack stores them.
 */

/** A Block Kit block, element or composition object, as the app sent it. */
export type BlockJson = { type: string; [key: string]: any };

export interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
  verbatim?: boolean;
}

export interface UserJson {
  id: string;
  name: string;
  real_name: string;
  display_name: string;
  email: string | null;
  is_bot: boolean;
  is_admin: boolean;
  is_owner: boolean;
  deleted: boolean;
  tz_offset: number;
}

export interface ConversationJson {
  id: string;
  kind: 'channel' | 'group' | 'im' | 'mpim';
  /** Empty for IMs. */
  name: string;
  /** For IMs: the person on the other side of the app. */
  user: string | null;
  members: string[];
  is_private: boolean;
  is_archived: boolean;
  topic: string;
}

export interface WorkspaceJson {
  team: { id: string; name: string; domain: string };
  botUserId: string;
  appId: string;
  appName: string;
  users: UserJson[];
  conversations: ConversationJson[];
  /** The channel the page opens first (the security channel), when the server was told it. */
  homeChannel: string | null;
  features: { org: boolean; time: boolean };
}

export interface MessageJson {
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  blocks?: BlockJson[];
  attachments?: BlockJson[];
  thread_ts?: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
  /** Thread replies, oldest first (only on top-level messages). */
  replies?: MessageJson[];
}

export interface EphemeralJson {
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: BlockJson[];
  attachments?: BlockJson[];
  thread_ts?: string;
  source: string;
}

export interface ConversationStateJson {
  id: string;
  /** The simulated clock, epoch ms, when this was read. */
  now: number;
  messages: MessageJson[];
  /** Only the acting person's. */
  ephemerals: EphemeralJson[];
}

export interface ViewJson {
  id: string;
  type: 'modal' | 'home';
  title: TextObject | null;
  submit: TextObject | null;
  close: TextObject | null;
  blocks: BlockJson[];
  callback_id: string;
  hash: string;
  state: { values: Record<string, Record<string, BlockJson>> };
  /** Field errors from `response_action: errors`, by block_id. */
  errors: Record<string, string> | null;
  previous_view_id: string | null;
}

export interface ViewsJson {
  now: number;
  /** The acting person's modal stack, root first (the last one is on screen). */
  modals: ViewJson[];
  home: ViewJson | null;
}

export interface TimeJson {
  now: string;
  controllable: boolean;
}

export interface AdminChangeJson {
  at: string;
  kind: string;
  summary: string;
  target: { type: string; id: string; label: string | null };
  status: 'succeeded' | 'failed' | 'pending' | 'dry_run';
  requestedBy: string | null;
  request: { method: string; path: string; status: number | null } | null;
  detail: string | null;
}

export interface AuditRowJson {
  seq: number;
  at: string;
  actor: { type: string; slackId: string | null; label: string | null };
  action: string;
  subject: { type: string; id: string } | null;
  outcome: string;
  reviewItemId: string | null;
  hash: string;
}

export interface ChainStateJson {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  problem: { seq: number; kind: string; message: string } | null;
  checkedAt: string;
}

export interface OrgPanelJson {
  organisation: { name: string; stats: Array<{ label: string; value: string | number }> };
  changes: AdminChangeJson[];
  audit: { rows: AuditRowJson[]; chain: ChainStateJson };
  links: { evidenceReport: string; csvExport: string };
}

/** What the server pushes on /api/events (SSE `data:` lines). */
export type LiveEventJson =
  | { type: 'slack'; change: { kind: string; channel?: string; ts?: string; user?: string; viewId?: string } }
  | { type: 'org' }
  | { type: 'time'; now: string };

/** What a renderer needs besides the data: names for ids, the clock, the reader's zone. */
export interface RenderContext {
  users: Record<string, UserJson>;
  channels: Record<string, ConversationJson>;
  botUserId: string;
  appName: string;
  /** The simulated now, epoch ms. */
  now: number;
  /** The reader's UTC offset in seconds (Slack shows dates in the reader's zone). */
  tzOffset: number;
}

/** Values typed into a modal so far: block_id → action_id → value(s). */
export type DraftValues = Record<string, Record<string, string | string[] | null>>;
