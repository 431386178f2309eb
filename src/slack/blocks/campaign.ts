import type { KnownBlock } from '@slack/types';
import type { CampaignSummary } from '../../review/campaigns/status.js';
import { ACTION } from '../ids.js';
import { mention, slackDate } from './format.js';
import type { Rendered } from './review.js';
import { LIMITS, mrkdwn, plain } from './text.js';

/** At most this many campaigns in one status message (each takes up to 8 blocks of Slack's 50). */
const MAX_CAMPAIGNS = 5;

export function campaignLines(c: CampaignSummary, now: Date): string[] {
  const p = c.progress;
  const started = c.startedBySlackId ? `by ${mention(c.startedBySlackId)}` : `by Steward (${c.startedVia})`;
  const due =
    c.status === 'closed'
      ? `closed ${slackDate(c.closedAt)} (undecided items: ${c.closeMode ?? 'skip'})`
      : now.getTime() >= c.dueAt.getTime()
        ? `*overdue* since ${slackDate(c.dueAt)}`
        : `due ${slackDate(c.dueAt)}`;
  return [
    `Started ${slackDate(c.startedAt)} ${started} · ${due}`,
    `*${p.percent}% complete* · ${p.decided} of ${p.total} decided: ${p.kept} kept · ${p.revoked} revoked · ${p.open} open` +
      `${p.overdue ? ` (${p.overdue} overdue)` : ''}${p.skipped ? ` · ${p.skipped} skipped` : ''}${p.escalated ? ` · ${p.escalated} escalated` : ''}${p.closed ? ` · ${p.closed} closed` : ''}`,
  ];
}

/** `/steward campaign status`: each campaign's figures and the reviewers most behind, with Remind. */
export function campaignStatusMessage(campaigns: CampaignSummary[], now: Date): Rendered {
  if (campaigns.length === 0)
    return {
      blocks: [
        { type: 'section', text: mrkdwn('No campaigns yet. Start one with `/steward campaign start <scope>`.') },
      ],
      text: 'No campaigns yet.',
    };
  const blocks: KnownBlock[] = [];
  for (const c of campaigns.slice(0, MAX_CAMPAIGNS)) {
    blocks.push(
      { type: 'header', text: plain(`Campaign #${c.number} — ${c.scope}`, LIMITS.headerText) },
      { type: 'section', text: mrkdwn(campaignLines(c, now).join('\n')) },
    );
    if (c.status !== 'open') continue;
    for (const r of c.topReviewers) {
      const who = r.slackId ? mention(r.slackId) : 'the security channel';
      blocks.push({
        type: 'section',
        text: mrkdwn(`${who}: ${r.open} open`),
        ...(r.slackId
          ? {
              accessory: {
                type: 'button' as const,
                text: plain('Remind', LIMITS.buttonText),
                action_id: ACTION.campaignRemind,
                value: `${c.id}|${r.slackId}`,
              },
            }
          : {}),
      });
    }
  }
  if (campaigns.length > MAX_CAMPAIGNS)
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`…and ${campaigns.length - MAX_CAMPAIGNS} more: \`/steward campaign status <number>\`.`)],
    });
  const text = campaigns
    .map((c) => `Campaign #${c.number} (${c.scope}): ${c.progress.percent}% complete, ${c.progress.open} open`)
    .join('\n');
  return { blocks, text };
}
