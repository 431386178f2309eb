import type { WebClient } from '@slack/web-api';
import type { ActionNotifier } from '../actions/worker.js';
import type { OutboxAction } from '../actions/outbox.js';
import { isAnomaly } from '../domain/findings.js';
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
import { coalescer } from './client/coalesce.js';
import { withSlackPriority } from './client/paced-client.js';
import { PRIORITY, type Priority } from './client/pacing.js';
import { toStewardError } from './errors.js';
import { postRendered, type DmOptions, type DmSender } from './dm-sender.js';
import { earlierDelivery, reviewMetadata } from './notifier-resume.js';
import type { Clock } from '../domain/clock.js';

export interface SlackNotifierDeps {
  client: WebClient;
  securityChannel: string;
  logger: Logger;
  loadSnapshot(id: string): Promise<ReviewSnapshot | undefined>;
  /** DMs through each person's stored DM channel (shared with the other notifiers). */
  dms: DmSender;
  now: Clock;
}

/** Security alerts and anomalies go before routine reviews when Slack's budget is short. */
const priorityOf = (s: ReviewSnapshot): Priority =>
  s.item.route === 'security_channel' || isAnomaly(s.item.kind) ? PRIORITY.urgent : PRIORITY.routine;

/** The review service's and the outbox's voice in Slack. */
export function slackNotifier(deps: SlackNotifierDeps): ReviewNotifier & ActionNotifier {
  const now = deps.now;
  const updates = coalescer();
  let me: Promise<string | undefined> | undefined;
  const botId = () =>
    (me ??= deps.client.auth.test().then(
      (r) => r.bot_id,
      () => ((me = undefined), undefined),
    ));

  async function post(channel: string, r: Rendered, what: string, o: DmOptions = {}): Promise<MessageRef> {
    try {
      return await postRendered(deps.client, channel, r, o);
    } catch (err) {
      throw toStewardError(err, what);
    }
  }

  const dm = (user: string, r: Rendered, what: string, o: DmOptions = {}) => deps.dms.send(user, r, what, o);
  const dmChannelOf = (user: string) => deps.dms.channelOf(user);

  /** A retried delivery first looks for the message its earlier attempt may have posted. */
  async function alreadyDelivered(s: ReviewSnapshot, channel: () => Promise<string>): Promise<MessageRef | undefined> {
    if (s.item.deliveryAttempts <= 1) return undefined;
    try {
      return await earlierDelivery(deps.client, botId, await channel(), s.item.id, s.item.createdAt);
    } catch (err) {
      throw toStewardError(err, 'looking for an earlier delivery of the review');
    }
  }

  function update(ref: MessageRef, render: () => Rendered, what: string): Promise<void> {
    return updates.run(`${ref.channel}:${ref.ts}`, async () => {
      const r = render();
      try {
        await deps.client.chat.update({ channel: ref.channel, ts: ref.ts, blocks: r.blocks, text: r.text });
      } catch (err) {
        throw toStewardError(err, what);
      }
    });
  }

  const notifier: ReviewNotifier & ActionNotifier = {
    deliver: (s) =>
      withSlackPriority(priorityOf(s), async () => {
        const r = reviewMessage(s, now());
        const metadata = reviewMetadata(s.item.id);
        const user = s.item.route === 'dm' ? s.item.assigneeSlackId : null;
        if (user) {
          const earlier = await alreadyDelivered(s, () => dmChannelOf(user));
          if (earlier) return earlier;
          return dm(user, r, `DM to ${user}`, { metadata });
        }
        const earlier = await alreadyDelivered(s, async () => deps.securityChannel);
        if (earlier) return earlier;
        return post(deps.securityChannel, r, 'post to the security channel', { metadata });
      }),
    refresh: (s) =>
      withSlackPriority(PRIORITY.interactive, async () => {
        const jobs: Array<Promise<void>> = [];
        if (s.item.slackChannel && s.item.slackTs) {
          const ref = { channel: s.item.slackChannel, ts: s.item.slackTs };
          jobs.push(update(ref, () => reviewMessage(s, now()), 'updating the review message'));
        }
        if (s.item.escalationChannel && s.item.escalationTs) {
          const ref = { channel: s.item.escalationChannel, ts: s.item.escalationTs };
          jobs.push(update(ref, () => escalationMessage(s, now()), 'updating the escalation'));
        }
        if (s.item.askChannel && s.item.askTs && s.item.ownerAnswer) {
          const ref = { channel: s.item.askChannel, ts: s.item.askTs };
          jobs.push(update(ref, () => askOwnerAnswered(s), 'updating the owner question'));
        }
        await Promise.all(jobs);
      }),
    async handedOver(ref, s, from) {
      await update(ref, () => handedOverMessage(s, from.bySlackId, from.how), 'updating the handed-over review');
    },
    async remind(slackId, reviews) {
      await dm(slackId, reminderMessage(reviews, now()), `reminder to ${slackId}`);
    },
    escalate: (s) =>
      withSlackPriority(PRIORITY.urgent, () =>
        post(deps.securityChannel, escalationMessage(s, now()), 'escalation to the security channel'),
      ),
    askOwner: (s, ownerSlackId) =>
      withSlackPriority(priorityOf(s), () => dm(ownerSlackId, askOwnerMessage(s), `question to ${ownerSlackId}`)),
    async threadReply(ref, text) {
      const r: Rendered = { blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }], text };
      await post(ref.channel, r, 'thread reply', { threadTs: ref.ts });
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
        await withSlackPriority(PRIORITY.urgent, () =>
          post(
            deps.securityChannel,
            actionFailedMessage(action, s),
            'reporting a failed action',
            thread ? { threadTs: thread } : {},
          ),
        );
      }
    },
  };
  return notifier;
}
