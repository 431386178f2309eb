import type { Args } from '../args.js';
import { SlackApiError } from '../errors.js';
import { messageJson } from '../shapes.js';
import { tsMicros } from '../timestamps.js';
import type { JsonObject, SimMessage } from '../types.js';
import { required, type MethodContext, type MethodTable } from './common.js';

// conversations.history, as documented at
// https://docs.slack.dev/reference/methods/conversations.history

/** "The maximum number of items to return ... Maximum of 999." Default 100. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 999;
const CURSOR_PREFIX = 'next_ts:';

function timeArg(args: Args, name: 'oldest' | 'latest', error: string): bigint | undefined {
  const raw = args.str(name);
  if (raw === undefined || raw === '') return undefined;
  const micros = tsMicros(raw);
  if (micros === undefined) throw new SlackApiError(error);
  return micros;
}

/**
 * Slack's own cursors for this method read "next_ts:<microseconds>" in base64 (the page's
 * example "bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz" decodes to "next_ts:1512085861000543").
 */
function encodeCursor(m: SimMessage): string {
  return Buffer.from(`${CURSOR_PREFIX}${tsMicros(m.ts)}`).toString('base64');
}

function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const digits = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d+$/.test(digits)) throw new SlackApiError('invalid_cursor');
  return BigInt(digits);
}

/**
 * Without `include_all_metadata=true` a message carries only `metadata.event_type`
 * (https://docs.slack.dev/messaging/message-metadata, "Receive metadata with the Web API").
 */
function historyMessage(m: SimMessage, allMetadata: boolean): JsonObject {
  const json = messageJson(m);
  const meta = json.metadata;
  if (!allMetadata && meta && typeof meta === 'object' && !Array.isArray(meta)) {
    json.metadata = { event_type: meta.event_type ?? null };
  }
  return json;
}

function history({ state, args }: MethodContext): Record<string, unknown> {
  const channelId = required(args, 'channel', 'channel_not_found');
  const channel = state.channel(channelId);
  if (!channel) throw new SlackApiError('channel_not_found');
  // A bot token reads "Any conversation the relevant bot is a member of"; private ones it is
  // not in do not exist for it, public ones answer not_in_channel ("Only user tokens can
  // access public channels they are not in").
  if (!channel.members.has(state.botUserId)) {
    throw new SlackApiError(channel.kind === 'channel' ? 'not_in_channel' : 'channel_not_found');
  }
  const oldest = timeArg(args, 'oldest', 'invalid_ts_oldest');
  const latest = timeArg(args, 'latest', 'invalid_ts_latest');
  // "Include messages with oldest or latest timestamps in results. Ignored unless either
  // timestamp is specified." Without it, a message at either bound is left out.
  const inclusive = args.bool('inclusive') ?? false;
  const limitArg = args.int('limit');
  // "Invalid limit values are currently magically adjusted to something sensible"
  // (https://docs.slack.dev/apis/web-api/pagination).
  const limit = limitArg === undefined || limitArg < 1 ? DEFAULT_LIMIT : Math.min(limitArg, MAX_LIMIT);
  const cursor = args.str('cursor');
  const from = cursor ? decodeCursor(cursor) : undefined;

  // Replies live in their thread (conversations.replies); history holds top-level messages
  // and thread parents. "The most recent messages in the time range are returned first."
  const inRange = state
    .history(channel.id)
    .filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)
    .filter((m) => {
      const t = tsMicros(m.ts)!;
      if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
      if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
      return true;
    })
    .reverse();
  const start = from === undefined ? 0 : inRange.findIndex((m) => tsMicros(m.ts)! <= from);
  const page = start < 0 ? [] : inRange.slice(start, start + limit);
  const next = start < 0 ? undefined : inRange[start + limit];
  const allMetadata = args.bool('include_all_metadata') ?? false;
  const body: Record<string, unknown> = {
    messages: page.map((m) => historyMessage(m, allMetadata)),
    has_more: next !== undefined,
    pin_count: 0,
    response_metadata: { next_cursor: next ? encodeCursor(next) : '' },
  };
  const latestArg = args.str('latest');
  if (latestArg) body.latest = latestArg;
  return body;
}

export const historyMethods: MethodTable = {
  'conversations.history': history,
};
