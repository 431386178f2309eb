import type { Args } from '../args.js';
import { charLength, describeIssues, LIMITS, validateBlocks, type Surface } from '../blocks.js';
import { invalidArguments, SlackApiError } from '../errors.js';
import type { WorkspaceState } from '../state.js';
import type { SimChannel } from '../types.js';

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
