import type { WebClient } from '@slack/web-api';
import type { MessageRef } from '../review/notifier.js';

/**
 * Marks a review's message for machines (https://docs.slack.dev/messaging/message-metadata:
 * `event_type` + `event_payload`), so a delivery that is tried again can tell whether the
 * attempt before it reached Slack.
 */
export const REVIEW_EVENT_TYPE = 'steward_review_delivered';

export function reviewMetadata(reviewItemId: string) {
  return { event_type: REVIEW_EVENT_TYPE, event_payload: { review_item_id: reviewItemId } };
}

interface HistoryMessage {
  ts?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: { review_item_id?: unknown } };
}

/** Messages per page; conversations.history takes up to 999 (Tier 3). */
const PAGE_LIMIT = 200;
const MAX_PAGES = 10;
/** How far before the review was created to look (clocks of Steward and Slack may differ). */
const SLACK_CLOCK_MARGIN_MS = 86_400_000;

/**
 * The message an earlier attempt posted for this review, if Slack has it. A delivery is
 * recorded after Slack accepted the post: a process that dies between the two leaves a
 * message that no row points to. The next attempt finds it here (our bot's message whose
 * metadata names the review, read with `include_all_metadata`,
 * https://docs.slack.dev/reference/methods/conversations.history) and records it instead of
 * posting again. Only retried deliveries pay for this call.
 */
export async function earlierDelivery(
  client: WebClient,
  botId: () => Promise<string | undefined>,
  channel: string,
  reviewItemId: string,
  createdAt: Date,
): Promise<MessageRef | undefined> {
  const me = await botId();
  const oldest = String(Math.floor((createdAt.getTime() - SLACK_CLOCK_MARGIN_MS) / 1000));
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await client.conversations.history({
      channel,
      oldest,
      limit: PAGE_LIMIT,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    });
    for (const m of (res.messages ?? []) as HistoryMessage[]) {
      if (m.metadata?.event_type !== REVIEW_EVENT_TYPE) continue;
      if (m.metadata.event_payload?.review_item_id !== reviewItemId) continue;
      if (!m.ts || !me || m.bot_id !== me) continue;
      return { channel, ts: m.ts };
    }
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!res.has_more || !cursor) break;
  }
  return undefined;
}
