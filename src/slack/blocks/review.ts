import type { ActionsBlock, Button, KnownBlock } from '@slack/types';
import type { ReviewSnapshot } from '../../review/snapshot.js';
import { daysLeft } from '../../review/timing.js';
import { ACTION } from '../ids.js';
import { actionLine } from './action-line.js';
import { leaverHoldingBlocks } from './leaver.js';
import { evidenceBlocks, evidenceText, titleOf } from './evidence.js';
import { readingBlocks } from './reading.js';
import { mention, safe, slackDate } from './format.js';
import { clip, LIMITS, mrkdwn, plain } from './text.js';

export interface Rendered {
  blocks: KnownBlock[];
  text: string;
}

const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button => ({
  type: 'button',
  text: plain(text, LIMITS.buttonText),
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

function revokeButton(s: ReviewSnapshot): Button | null {
  if (!s.planned) return null;
  return {
    // A leaver's alert revokes everything they hold at once (issue 20).
    ...button(s.item.kind === 'leaver' ? 'Revoke all' : 'Revoke', ACTION.revoke, s.item.id, 'danger'),
    confirm: {
      title: plain('Revoke this access?', 100),
      text: mrkdwn(clip(`${s.planned.description}: ${s.evidence.subject.label}.`, 300), 300),
      confirm: plain('Revoke', 30),
      deny: plain('Cancel', 30),
      style: 'danger',
    },
  };
}

/** The buttons a review offers in its current state, or none once it is settled. */
export function reviewButtons(s: ReviewSnapshot, now: Date): Button[] {
  const id = s.item.id;
  if (s.item.status === 'open' || s.item.status === 'pending') {
    const revoke = revokeButton(s);
    switch (s.presentation) {
      case 'owner':
        return [
          button('Keep', ACTION.keep, id, 'primary'),
          ...(revoke ? [revoke] : []),
          button('Not mine', ACTION.notMine, id),
        ];
      case 'unowned':
        return [button('Claim', ACTION.claim, id, 'primary'), ...(revoke ? [revoke] : [])];
      case 'anomaly':
        return [
          button('Acknowledge', ACTION.acknowledge, id),
          ...(revoke ? [revoke] : []),
          // A leaver's Slack account is gone: there is nobody to ask.
          ...(s.item.askedSlackId || s.item.kind === 'leaver' ? [] : [button('Ask owner', ACTION.askOwner, id)]),
        ];
    }
  }
  if (s.restorableUntil && now.getTime() <= s.restorableUntil.getTime()) return [button('Restore', ACTION.restore, id)];
  return [];
}

function actionsBlock(s: ReviewSnapshot, now: Date): ActionsBlock | null {
  const elements = reviewButtons(s, now);
  return elements.length ? { type: 'actions', block_id: `review:${s.item.id}`, elements } : null;
}

/** Outcome, who and when, plus the action's progress: the settled form of the message. */
export function outcomeLines(s: ReviewSnapshot): string[] {
  const i = s.item;
  if (i.status === 'closed')
    return [`:white_check_mark: *No longer needed*: ${safe(i.closedReason ?? 'the finding no longer holds')}.`];
  if (i.status !== 'decided') return [];
  const who = i.decidedBySlackId ? mention(i.decidedBySlackId) : 'Steward (the review timed out)';
  const when = slackDate(i.decidedAt);
  const lines: string[] = [];
  switch (i.decision) {
    case 'keep':
      lines.push(
        `:white_check_mark: *Kept* by ${who} on ${when}, until ${slackDate(i.keepUntil)}: “${safe(i.reason)}”`,
      );
      break;
    case 'acknowledge':
      lines.push(`:white_check_mark: *Acknowledged* by ${who} on ${when}.`);
      break;
    default:
      lines.push(`:no_entry: *Revoked* by ${who} on ${when}.`);
  }
  // A leaver's actions show against each access they hold (blocks/leaver.ts).
  if (s.removal && i.kind !== 'leaver') lines.push(actionLine(s.removal));
  if (s.restore) {
    lines.push(
      s.restore.status === 'succeeded'
        ? `:leftwards_arrow_with_hook: *Restored* by ${mention(s.restore.requestedBySlackId)} (${slackDate(s.restore.completedAt)}).`
        : `:leftwards_arrow_with_hook: Restore requested by ${mention(s.restore.requestedBySlackId)}: ${actionLine(s.restore)}`,
    );
  } else if (s.restorableUntil) {
    lines.push(`You can restore it until ${slackDate(s.restorableUntil)}.`);
  }
  return lines;
}

/** The review message: a DM for owners, a post in the security channel otherwise. */
export function reviewMessage(s: ReviewSnapshot, now: Date): Rendered {
  const e = s.evidence;
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(titleOf(e.kind), LIMITS.headerText) }];
  const intro = introLine(s, now);
  if (intro) blocks.push({ type: 'section', text: mrkdwn(intro) });
  if (e.reading) blocks.push(...readingBlocks(e.reading));
  // A leaver alert lists each access with its own Revoke, or the state of the action on it.
  const leaver = s.item.kind === 'leaver';
  blocks.push(...evidenceBlocks(e, { holdings: !leaver }));
  if (leaver) blocks.push(...leaverHoldingBlocks(s));
  const outcome = outcomeLines(s);
  if (outcome.length) blocks.push({ type: 'section', text: mrkdwn(outcome.join('\n')) });
  const actions = actionsBlock(s, now);
  if (actions) blocks.push(actions);
  blocks.push({ type: 'context', elements: [mrkdwn(`Review \`${s.item.id}\``)] });
  const text = clip(`${evidenceText(e)}${outcome.length ? ` — ${stripMarkup(outcome[0]!)}` : ''}`, LIMITS.fallbackText);
  return { blocks, text };
}

function introLine(s: ReviewSnapshot, now: Date): string | null {
  const i = s.item;
  if (i.status !== 'open' && i.status !== 'pending') return null;
  if (s.presentation === 'owner') {
    const left = daysLeft(i.dueAt, now);
    const due =
      left > 0
        ? `Please decide by ${slackDate(i.dueAt)} (${left} day${left === 1 ? '' : 's'} left).`
        : `This review is *overdue* (was due ${slackDate(i.dueAt)}).`;
    const why =
      i.assignedVia === 'reassigned'
        ? ' It was passed to you as its owner.'
        : i.assignedVia === 'claim'
          ? ' You claimed it.'
          : '';
    return `${mention(i.assigneeSlackId)}, Steward found access you are accountable for.${why} ${due}`;
  }
  if (s.presentation === 'unowned') {
    const unreachable =
      i.assigneeSlackId && i.deliveryError ? ` (${mention(i.assigneeSlackId)} could not be reached in Slack)` : '';
    return `No accountable owner could be found${unreachable}. *Claim* it if it is yours, or an admin can *Revoke* it.`;
  }
  return i.ownerAnswer
    ? `The owner answered: *${i.ownerAnswer === 'yes' ? 'yes, it was them' : 'no, it was not them'}*.`
    : 'Security alert: check the evidence below.';
}

/** The old message of a review handed to someone else. */
export function handedOverMessage(s: ReviewSnapshot, by: string, how: 'reassigned' | 'claimed' | 'approval'): Rendered {
  const line =
    how === 'claimed'
      ? `:raising_hand: *Claimed* by ${mention(by)}; they now review it in a DM.`
      : how === 'approval'
        ? `:hourglass_flowing_sand: ${mention(by)} decided; ${s.item.assigneeSlackId ? mention(s.item.assigneeSlackId) : 'a Steward admin'} confirms or overrides it (two-level review).`
        : `:arrow_right: *Not mine*: ${mention(by)} passed this review to ${mention(s.item.assigneeSlackId)}.`;
  return {
    blocks: [
      { type: 'header', text: plain(titleOf(s.evidence.kind), LIMITS.headerText) },
      ...evidenceBlocks(s.evidence),
      { type: 'section', text: mrkdwn(line) },
      { type: 'context', elements: [mrkdwn(`Review \`${s.item.id}\``)] },
    ],
    text: stripMarkup(line),
  };
}

export function stripMarkup(s: string): string {
  return s
    .replace(/<!date\^\d+\^[^|]*\|([^>]+)>/g, '$1')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/:[a-z_]+:\s*/g, '')
    .replace(/[*_`]/g, '');
}
