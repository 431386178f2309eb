import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { StewardError } from '../domain/errors.js';
import { WITNESS_EVENT_TYPE, type WitnessBoard, type WitnessRecord } from '../audit/witness.js';
import { toStewardError } from './errors.js';

/**
 * The audit witness in a Slack channel (the security channel). A head is posted as an
 * ordinary message whose metadata carries it for machines
 * (https://docs.slack.dev/messaging/message-metadata: `event_type` + `event_payload`),
 * and read back with conversations.history and `include_all_metadata`, which is needed
 * for the payload: without it a message carries `event_type` only
 * (https://docs.slack.dev/reference/methods/conversations.history; bot scopes
 * channels:history / groups:history, and the bot must be a member of the channel).
 *
 * Anyone in the channel can post a message with the same metadata, so only messages
 * posted by Steward's own bot are witnesses: `bot_id` (and `user`, when present) must be
 * those auth.test returns for Steward's token (https://docs.slack.dev/reference/methods/auth.test).
 */

/** Messages per history page; the method takes up to 999 (Tier 3 for internal apps). */
const PAGE_LIMIT = 200;

// event_payload values are strings, numbers or booleans
// (https://docs.slack.dev/tools/node-slack-sdk/reference/web-api/interfaces/MessageMetadata).
const payloadSchema = z.object({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  key_id: z.string().optional(),
});

const messageSchema = z.object({
  ts: z.string(),
  bot_id: z.string().optional(),
  user: z.string().optional(),
  edited: z.unknown().optional(),
  metadata: z.object({ event_type: z.string().optional(), event_payload: z.unknown().optional() }).optional(),
});

export function slackWitnessBoard(deps: { client: WebClient; channel: string }): WitnessBoard {
  const { client, channel } = deps;
  return {
    name: channel,
    async post(head, text) {
      try {
        const res = await client.chat.postMessage({
          channel,
          text,
          unfurl_links: false,
          metadata: {
            event_type: WITNESS_EVENT_TYPE,
            event_payload: { seq: head.seq, hash: head.hash, ...(head.keyId === null ? {} : { key_id: head.keyId }) },
          },
        });
        if (!res.ts) throw new Error('chat.postMessage returned no ts');
        return { ts: res.ts };
      } catch (err) {
        throw toStewardError(err, 'posting the audit head to the security channel');
      }
    },
    async alert(text) {
      try {
        await client.chat.postMessage({ channel, text, unfurl_links: false });
      } catch (err) {
        throw toStewardError(err, 'alerting the security channel');
      }
    },
    async read() {
      let me: { bot_id?: string | undefined; user_id?: string | undefined };
      try {
        me = await client.auth.test();
      } catch (err) {
        throw toStewardError(err, 'asking Slack who Steward is (auth.test)');
      }
      if (!me.bot_id)
        throw new StewardError('slack_not_bot', 'SLACK_BOT_TOKEN is not a bot token: auth.test names no bot_id.', {
          retry: false,
        });
      try {
        const heads: WitnessRecord[] = [];
        let ignored = 0;
        const pages = client.paginate('conversations.history', {
          channel,
          include_all_metadata: true,
          limit: PAGE_LIMIT,
        });
        for await (const page of pages) {
          for (const raw of (page as { messages?: unknown[] }).messages ?? []) {
            const m = messageSchema.safeParse(raw);
            if (!m.success || m.data.metadata?.event_type !== WITNESS_EVENT_TYPE) continue;
            const ours = m.data.bot_id !== undefined && m.data.bot_id === me.bot_id;
            const asOurUser = m.data.user === undefined || m.data.user === me.user_id;
            const payload = payloadSchema.safeParse(m.data.metadata.event_payload);
            if (!ours || !asOurUser || !payload.success) {
              ignored++;
              continue;
            }
            heads.push({
              seq: payload.data.seq,
              hash: payload.data.hash,
              keyId: payload.data.key_id ?? null,
              ts: m.data.ts,
              edited: m.data.edited !== undefined,
            });
          }
        }
        return { heads, ignored };
      } catch (err) {
        throw toStewardError(err, 'reading the audit witnesses from the security channel');
      }
    },
  };
}
