import type { KnownBlock } from '@slack/types';
import type { OutboxAction } from '../../actions/outbox.js';
import type { ReviewSnapshot } from '../../review/snapshot.js';
import { daysLeft } from '../../review/timing.js';
import { ACTION } from '../ids.js';
import { evidenceBlocks, titleOf } from './evidence.js';
import { mention, safe, slackDate } from './format.js';
import { readingBlocks } from './reading.js';
import { outcomeLines, reviewButtons, type Rendered } from './review.js';
import { clip, LIMITS, mrkdwn, plain } from './text.js';

/** Slack links to a message from its channel and ts. */
export const messageLink = (channel: string, ts: string): string =>
  `https://slack.com/archives/${channel}/p${ts.replace('.', '')}`;

const MAX_LISTED = 20;

/** One reminder per reviewer, listing their open reviews, soonest due first. */
export function reminderMessage(reviews: ReviewSnapshot[], now: Date): Rendered {
  const sorted = [...reviews].sort((a, b) => a.item.dueAt.getTime() - b.item.dueAt.getTime());
  const lines = sorted.slice(0, MAX_LISTED).map((s) => {
    const left = daysLeft(s.item.dueAt, now);
    const link =
      s.item.slackChannel && s.item.slackTs
        ? `<${messageLink(s.item.slackChannel, s.item.slackTs)}|${safe(s.evidence.subject.label)}>`
        : safe(s.evidence.subject.label);
    // With several organisations the evidence names its own (issue 17), as the review does.
    const org = s.evidence.organization ? `_${safe(s.evidence.organization.name)}_ · ` : '';
    return `• ${org}${link} — ${titleOf(s.evidence.kind).toLowerCase()} (due ${slackDate(s.item.dueAt)}, ${left} day${left === 1 ? '' : 's'} left)`;
  });
  if (sorted.length > MAX_LISTED)
    lines.push(`…and ${sorted.length - MAX_LISTED} more: see the Steward app's Home tab.`);
  const head = `:bell: You have ${sorted.length} access review${sorted.length === 1 ? '' : 's'} waiting for a decision.`;
  return {
    blocks: [
      { type: 'section', text: mrkdwn(head) },
      { type: 'section', text: mrkdwn(clip(lines.join('\n'), LIMITS.sectionText)) },
      {
        type: 'context',
        elements: [
          mrkdwn(
            'Open each review and choose *Keep*, *Revoke* or *Not mine*. Overdue reviews go to the security team.',
          ),
        ],
      },
    ],
    text: `${head} ${sorted
      .map((s) => s.evidence.subject.label)
      .slice(0, 5)
      .join(', ')}`,
  };
}

/** An overdue review, posted to the security channel (admins can decide from here); settles with the review. */
export function escalationMessage(s: ReviewSnapshot, now: Date): Rendered {
  const head = `:warning: Overdue review: ${mention(s.item.assigneeSlackId)} has not decided since ${slackDate(s.item.deliveredAt)} (due ${slackDate(s.item.dueAt)}).`;
  const open = s.item.status === 'open' || s.item.status === 'pending';
  const buttons = open ? reviewButtons(s, now).filter((b) => b.action_id !== ACTION.notMine) : [];
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(`Overdue: ${titleOf(s.evidence.kind)}`, LIMITS.headerText) },
    { type: 'section', text: mrkdwn(head) },
    ...evidenceBlocks(s.evidence),
    // The security team reads the same summary or triage the reviewer was shown.
    ...(s.evidence.reading ? readingBlocks(s.evidence.reading) : []),
  ];
  const outcome = outcomeLines(s);
  if (outcome.length) blocks.push({ type: 'section', text: mrkdwn(outcome.join('\n')) });
  if (buttons.length) blocks.push({ type: 'actions', block_id: `escalation:${s.item.id}`, elements: buttons });
  blocks.push({ type: 'context', elements: [mrkdwn(`Review \`${s.item.id}\` · admins can decide here`)] });
  return { blocks, text: `Overdue review: ${s.evidence.subject.label}${open ? '' : ' (settled)'}` };
}

/** "Was this you?" to the owner of an alert's access. */
export function askOwnerMessage(s: ReviewSnapshot): Rendered {
  const question = `:wave: Steward's security check: there was unusual activity on access you own. *Was this you?*`;
  return {
    blocks: [
      { type: 'section', text: mrkdwn(question) },
      ...evidenceBlocks(s.evidence),
      {
        type: 'actions',
        block_id: `ask:${s.item.id}`,
        elements: [
          {
            type: 'button',
            text: plain('Yes, it was me', 75),
            action_id: ACTION.answerYes,
            value: s.item.id,
            style: 'primary',
          },
          {
            type: 'button',
            text: plain('No, it was not me', 75),
            action_id: ACTION.answerNo,
            value: s.item.id,
            style: 'danger',
          },
        ],
      },
    ],
    text: `Was this you? ${s.evidence.rule}`,
  };
}

export function askOwnerAnswered(s: ReviewSnapshot): Rendered {
  const answer =
    s.item.ownerAnswer === 'yes'
      ? 'Thanks: you confirmed this was you.'
      : 'Thanks: the security team has been told this was not you.';
  return {
    blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: ${answer}`) }, ...evidenceBlocks(s.evidence)],
    text: answer,
  };
}

/** A removal the Admin API refused for good: the security channel gets it with Retry. */
export function actionFailedMessage(a: OutboxAction, s: ReviewSnapshot | undefined): Rendered {
  const what = s ? `${safe(s.evidence.subject.label)} (\`${safe(a.targetId)}\`)` : `\`${safe(a.targetId)}\``;
  const head = `:x: *${safe(a.kind.replace(/_/g, ' '))}* failed for ${what} after ${a.attempts} attempt${a.attempts === 1 ? '' : 's'}: ${safe(a.lastError ?? 'unknown error')}`;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(clip(head, LIMITS.sectionText)) }];
  if (s)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`Requested by ${mention(a.requestedBySlackId)} · review \`${s.item.id}\``)],
    });
  blocks.push({
    type: 'actions',
    block_id: `retry:${a.id}`,
    elements: [{ type: 'button', text: plain('Retry', 75), action_id: ACTION.retry, value: a.id }],
  });
  return { blocks, text: `Action failed: ${a.kind} for ${a.targetId}` };
}

export function retriedMessage(a: OutboxAction, bySlackId: string): Rendered {
  const line = `:repeat: ${safe(a.kind.replace(/_/g, ' '))} for \`${safe(a.targetId)}\`: retry requested by ${mention(bySlackId)}.`;
  return { blocks: [{ type: 'section', text: mrkdwn(line) }], text: line };
}
