import type { KnownBlock, SectionBlock } from '@slack/types';
import { holdingAction, holdingRevocation, leaverHoldings, type Holding } from '../../review/leaver-revocation.js';
import type { ReviewSnapshot } from '../../review/snapshot.js';
import { ACTION } from '../ids.js';
import { HOLDING } from './evidence.js';
import { safe } from './format.js';
import { actionLine } from './action-line.js';
import { clip, LIMITS, mrkdwn, plain } from './text.js';

/**
 * Sections of one access each leave room under Slack's 50 blocks a message for the
 * review's own; beyond this many, the rest are listed together (Revoke all covers them).
 */
const MAX_ONE_BY_ONE = 25;

const line = (h: Holding) => `${HOLDING[h.type] ?? safe(h.type)} *${safe(h.label)}*`;

/**
 * A leaver alert's list of what they still hold (issue 20), one section per access: its
 * own **Revoke** while the alert is open and nothing acts on it yet, else the state of
 * the action that does (updated as each one finishes).
 */
export function leaverHoldingBlocks(s: ReviewSnapshot): KnownBlock[] {
  const e = s.evidence;
  const holdings = leaverHoldings(e);
  if (holdings.length === 0) return [];
  const open = s.item.status === 'open' || s.item.status === 'pending';
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn('*Still holds*') }];
  holdings.slice(0, MAX_ONE_BY_ONE).forEach((h, i) => {
    const action = holdingAction(h, e, s.actions);
    const planned = holdingRevocation(h, e);
    const state = action
      ? action.kind === 'remove_member' && h.type !== 'seat'
        ? ' — goes with the seat'
        : `\n${actionLine(action)}`
      : '';
    const block: SectionBlock = {
      type: 'section',
      block_id: `holding:${i}`,
      text: mrkdwn(clip(`• ${line(h)}${state}`, LIMITS.sectionText)),
    };
    if (open && !action && planned)
      block.accessory = {
        type: 'button',
        text: plain('Revoke', LIMITS.buttonText),
        action_id: ACTION.revokeHolding,
        value: `${s.item.id}|${h.type}|${h.id}`,
        style: 'danger',
        confirm: {
          title: plain('Revoke this access?', 100),
          text: mrkdwn(clip(`${planned.description}.`, 300), 300),
          confirm: plain('Revoke', 30),
          deny: plain('Cancel', 30),
          style: 'danger',
        },
      };
    blocks.push(block);
  });
  const rest = holdings.slice(MAX_ONE_BY_ONE);
  if (rest.length)
    blocks.push({
      type: 'section',
      text: mrkdwn(clip(`…and ${rest.map((h) => line(h)).join(', ')} (*Revoke all* covers them)`, LIMITS.sectionText)),
    });
  return blocks;
}
