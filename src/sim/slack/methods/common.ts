import type { Args } from '../args.js';
import { charLength, describeIssues, LIMITS, validateBlocks, type Surface } from '../blocks.js';
import { invalidArguments, SlackApiError } from '../errors.js';
import type { WorkspaceState } from '../state.js';
import type { JsonObject, SimChannel } from '../types.js';

export interface MethodContext {
  state: WorkspaceState;
  args: Args;
}

/** The body of a successful answer, without `ok` (the server adds it). */
export type MethodResult = Record<string, unknown>;
export type MethodHandler = (ctx: MethodContext) => MethodResult | Promise<MethodResult>;
export type MethodTable = Record<string, MethodHandler>;

export function required(args: Args, name: string, error?: string): string {
  const v = args.str(name);
  if (v === undefined || v === '') {
    throw error ? new SlackApiError(error) : invalidArguments(`missing required field: ${name}`);
  }
  return v;
}

/**
 * Resolves what chat.* accept as `channel`: a conversation id, a channel name, or a user
 * id (which means the app's DM with that user, opened on the fly as Slack does).
 */
export function resolveConversation(state: WorkspaceState, value: string | undefined): SimChannel {
  if (value === undefined || value === '') throw new SlackApiError('channel_not_found');
  const byId = state.channel(value);
  if (byId) {
    // Private conversations the bot is not in are invisible to it.
    if (byId.is_private && !byId.members.has(state.botUserId)) throw new SlackApiError('channel_not_found');
    return byId;
  }
  if (/^[UW][A-Z0-9]+$/.test(value)) {
    const user = state.user(value);
    if (!user) throw new SlackApiError('channel_not_found');
    if (user.is_bot || user.id === state.botUserId) throw new SlackApiError('cannot_dm_bot');
    return state.openDm(user.id);
  }
  const byName = state.channelByName(value);
  if (byName && !(byName.is_private && !byName.members.has(state.botUserId))) return byName;
  throw new SlackApiError('channel_not_found');
}

export interface MessageContent {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
}

/** Reads and checks text/blocks/attachments the way chat.postMessage and friends do. */
export function readMessageContent(
  args: Args,
  opts: { surface?: Surface; requireContent?: boolean } = {},
): MessageContent {
  const text = args.str('text');
  const blocksRaw = args.json('blocks', 'invalid_blocks_format');
  const attachmentsRaw = args.json('attachments', 'invalid_attachments');
  if (blocksRaw !== undefined && !Array.isArray(blocksRaw)) throw new SlackApiError('invalid_blocks_format');
  if (attachmentsRaw !== undefined && !Array.isArray(attachmentsRaw)) throw new SlackApiError('invalid_attachments');
  const blocks = blocksRaw as unknown[] | undefined;
  const attachments = attachmentsRaw as unknown[] | undefined;
  const hasContent =
    (text !== undefined && text.trim() !== '') || (blocks?.length ?? 0) > 0 || (attachments?.length ?? 0) > 0;
  if ((opts.requireContent ?? true) && !hasContent) throw new SlackApiError('no_text');
  if (text !== undefined && charLength(text) > LIMITS.messageText) throw new SlackApiError('msg_too_long');
  if (blocks !== undefined) checkBlocks(blocks, opts.surface ?? 'message');
  return { text, blocks, attachments };
}

/**
 * The `metadata` argument of chat.postMessage / chat.update: "JSON object with event_type and
 * event_payload fields" (https://docs.slack.dev/reference/methods/chat.postMessage);
 * "Metadata always includes an event_type and an event_payload"
 * (https://docs.slack.dev/messaging/message-metadata/designing-metadata-event-schema).
 * Text that is not a JSON object is invalid_metadata_format; an object without those two
 * fields is invalid_metadata_schema. An empty object means "no metadata" (chat.update: "To
 * remove previous metadata, include an empty object"). The docs give no size limit for
 * metadata_too_large, so none is enforced.
 */
export function readMetadata(args: Args): { event_type: string; event_payload: JsonObject } | 'none' | undefined {
  const raw = args.json('metadata', 'invalid_metadata_format');
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new SlackApiError('invalid_metadata_format');
  const meta = raw as Record<string, unknown>;
  if (Object.keys(meta).length === 0) return 'none';
  const payload = meta.event_payload;
  if (typeof meta.event_type !== 'string' || meta.event_type === '') throw new SlackApiError('invalid_metadata_schema');
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new SlackApiError('invalid_metadata_schema');
  return { event_type: meta.event_type, event_payload: JSON.parse(JSON.stringify(payload)) as JsonObject };
}

export function checkBlocks(blocks: unknown, surface: Surface): void {
  const issues = validateBlocks(blocks, surface);
  if (issues.length > 0) {
    const { errors, messages } = describeIssues(issues);
    throw new SlackApiError('invalid_blocks', { extra: { errors }, messages });
  }
}

/**
 * Cursor pagination as Slack does it: an opaque base64 cursor naming where the next page
 * starts, `response_metadata.next_cursor` empty on the last page.
 */
export function paginate<T>(
  items: T[],
  args: Args,
  kind: string,
  idOf: (item: T) => string,
): { page: T[]; nextCursor: string } {
  const limitArg = args.int('limit');
  const limit = limitArg === undefined || limitArg <= 0 ? items.length : Math.min(limitArg, 1000);
  let start = 0;
  const cursor = args.str('cursor');
  if (cursor) {
    const decoded = Buffer.from(cursor, 'base64').toString('utf8');
    const prefix = `${kind}:`;
    const id = decoded.startsWith(prefix) ? decoded.slice(prefix.length) : undefined;
    const idx = id === undefined ? -1 : items.findIndex((i) => idOf(i) === id);
    if (idx < 0) throw new SlackApiError('invalid_cursor');
    start = idx;
  }
  const page = items.slice(start, start + limit);
  const next = items[start + limit];
  return { page, nextCursor: next === undefined ? '' : Buffer.from(`${kind}:${idOf(next)}`).toString('base64') };
}
