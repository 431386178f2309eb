import type { WebClient } from '@slack/web-api';
import type { ActionNotifier } from '../actions/worker.js';
import type { OutboxAction } from '../actions/outbox.js';
import type { Logger } from '../log.js';
import type { MessageRef, ReviewNotifier } from '../review/notifier.js';
import type { ReviewSnapshot } from '../review/snapshot.js';
import {
  actionFailedMessage,
  askOwnerAnswered,
  askOwnerMessage,
  escalationMessage,
  reminderMessage,
} from './blocks/followup.js';
import { handedOverMessage, reviewMessage, type Rendered } from './blocks/review.js';
import { noAnswer, toStewardError } from './errors.js';
import type { Clock } from '../domain/clock.js';

export interface SlackNotifierDeps {
  client: WebClient;
  securityChannel: string;
  logger: Logger;
  loadSnapshot(id: string): Promise<ReviewSnapshot | undefined>;
  now: Clock;
}

/** The review service's and the outbox's voice in Slack. */
export function slackNotifier(deps: SlackNotifierDeps): ReviewNotifier & ActionNotifier {
  const now = deps.now;
  const dms = new Map<string, string>();

  async function dmChannel(slackId: string): Promise<string> {
    const cached = dms.get(slackId);
    if (cached) return cached;
    try {
      const r = await deps.client.conversations.open({ users: slackId });
      const id = r.channel?.id;
      if (!id) throw noAnswer('the channel of a DM (conversations.open)');
      if (dms.size > 10_000) dms.clear();
      dms.set(slackId, id);
      return id;
    } catch (err) {
      throw toStewardError(err, `opening a DM with ${slackId}`);
    }
  }

  async function post(channel: string, r: Rendered, what: string, threadTs?: string): Promise<MessageRef> {
    try {
      const res = await deps.client.chat.postMessage({
        channel,
        blocks: r.blocks,
        text: r.text,
        unfurl_links: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
      if (!res.ts || !res.channel) throw noAnswer('the message ts (chat.postMessage)');
      return { channel: res.channel, ts: res.ts };
    } catch (err) {
      throw toStewardError(err, what);
    }
  }

  async function update(ref: MessageRef, r: Rendered, what: string): Promise<void> {
    try {
      await deps.client.chat.update({ channel: ref.channel, ts: ref.ts, blocks: r.blocks, text: r.text });
    } catch (err) {
      throw toStewardError(err, what);
    }
  }

  const notifier: ReviewNotifier & ActionNotifier = {
    async deliver(s) {
      const r = reviewMessage(s, now());
      if (s.item.route === 'dm' && s.item.assigneeSlackId) {
        return post(await dmChannel(s.item.assigneeSlackId), r, `DM to ${s.item.assigneeSlackId}`);
      }
      return post(deps.securityChannel, r, 'post to the security channel');
    },
    async refresh(s) {
      if (s.item.slackChannel && s.item.slackTs) {
        await update(
          { channel: s.item.slackChannel, ts: s.item.slackTs },
          reviewMessage(s, now()),
          'updating the review message',
        );
      }
      if (s.item.escalationChannel && s.item.escalationTs) {
        await update(
          { channel: s.item.escalationChannel, ts: s.item.escalationTs },
          escalationMessage(s, now()),
          'updating the escalation',
        );
      }
      if (s.item.askChannel && s.item.askTs && s.item.ownerAnswer) {
        await update(
          { channel: s.item.askChannel, ts: s.item.askTs },
          askOwnerAnswered(s),
          'updating the owner question',
        );
      }
    },
    async handedOver(ref, s, from) {
      await update(ref, handedOverMessage(s, from.bySlackId, from.how), 'updating the handed-over review');
    },
    async remind(slackId, reviews) {
      await post(await dmChannel(slackId), reminderMessage(reviews, now()), `reminder to ${slackId}`);
    },
    async escalate(s) {
      return post(deps.securityChannel, escalationMessage(s, now()), 'escalation to the security channel');
    },
    async askOwner(s, ownerSlackId) {
      return post(await dmChannel(ownerSlackId), askOwnerMessage(s), `question to ${ownerSlackId}`);
    },
    async threadReply(ref, text) {
      await post(
        ref.channel,
        { blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], text },
        'thread reply',
        ref.ts,
      );
    },
    async actionRetrying(action: OutboxAction) {
      const s = action.reviewItemId ? await deps.loadSnapshot(action.reviewItemId) : undefined;
      if (s) await notifier.refresh(s);
    },
    async actionFinished(action: OutboxAction) {
      const s = action.reviewItemId ? await deps.loadSnapshot(action.reviewItemId) : undefined;
      if (s) await notifier.refresh(s);
      if (action.status === 'failed') {
        const thread = s?.item.route === 'security_channel' && s.item.slackTs ? s.item.slackTs : undefined;
        await post(deps.securityChannel, actionFailedMessage(action, s), 'reporting a failed action', thread);
      }
    },
  };
  return notifier;
}
