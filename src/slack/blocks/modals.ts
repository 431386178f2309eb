import type { ModalView } from '@slack/types';
import type { CampaignKeepOptions } from '../../review/campaigns/keep.js';
import { MAX_REASON, MIN_REASON } from '../../review/decide.js';
import type { ReviewSnapshot } from '../../review/snapshot.js';
import { INPUT, VIEW } from '../ids.js';
import { accessLine } from './evidence.js';
import { clip, mrkdwn, plain } from './text.js';

/** What a modal remembers about where it was opened from. */
export interface ModalContext {
  itemId: string;
  /** The message the click came from, to answer there if the decision fails. */
  channel?: string | null;
  /** That message's ts: where the outcome shows if its delivery was not recorded yet (DecideInput.message). */
  ts?: string | null;
}

export function keepModal(
  s: ReviewSnapshot,
  keepDays: readonly number[],
  ctx: ModalContext,
  campaign: CampaignKeepOptions | null = null,
): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.keep,
    private_metadata: JSON.stringify(ctx),
    title: plain('Keep access', 24),
    submit: plain('Keep', 24),
    close: plain('Cancel', 24),
    blocks: [
      { type: 'section', text: mrkdwn(clip(`${accessLine(s.evidence)}\n_${s.evidence.rule}_`, 3000)) },
      {
        type: 'input',
        block_id: INPUT.reason.block,
        label: plain('Why is it still needed?', 2000),
        element: {
          type: 'plain_text_input',
          action_id: INPUT.reason.action,
          multiline: true,
          min_length: MIN_REASON,
          max_length: MAX_REASON,
          placeholder: plain('e.g. nightly export job for the finance team', 150),
        },
      },
      {
        type: 'input',
        block_id: INPUT.duration.block,
        label: plain('Keep it for', 2000),
        element: {
          type: 'radio_buttons',
          action_id: INPUT.duration.action,
          initial_option: option(keepDays[0]!),
          options: [...keepDays.map(option), ...campaignOptions(campaign)],
        },
      },
      ...(campaign ? [datePicker(campaign)] : []),
      { type: 'context', elements: [mrkdwn('Steward asks again when this period ends.')] },
    ],
  };
}

export function notMineModal(s: ReviewSnapshot, ctx: ModalContext): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.notMine,
    private_metadata: JSON.stringify(ctx),
    title: plain('Not mine', 24),
    submit: plain('Pass it on', 24),
    close: plain('Cancel', 24),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          clip(`${accessLine(s.evidence)}\nWho is accountable for it? They will get this review instead of you.`, 3000),
        ),
      },
      {
        type: 'input',
        block_id: INPUT.owner.block,
        label: plain('The right owner', 2000),
        element: { type: 'users_select', action_id: INPUT.owner.action, placeholder: plain('Choose a person', 150) },
      },
    ],
  };
}

const option = (days: number) => ({ text: plain(`${days} days`, 75), value: String(days) });

/** A campaign item also offers "until the next run" (when its scope is scheduled) and "until a date". */
function campaignOptions(c: CampaignKeepOptions | null) {
  if (!c) return [];
  const next = c.nextRun
    ? [{ text: plain(`Until the next campaign (${c.nextRun.toISOString().slice(0, 10)})`, 75), value: 'next_run' }]
    : [];
  return [...next, { text: plain('Until the date chosen below', 75), value: 'date' }];
}

function datePicker(c: CampaignKeepOptions) {
  return {
    type: 'input' as const,
    block_id: INPUT.keepDate.block,
    optional: true,
    label: plain('Date (for "until the date chosen below")', 2000),
    hint: plain(`From ${c.earliestDate} to ${c.latestDate}.`, 2000),
    element: { type: 'datepicker' as const, action_id: INPUT.keepDate.action, initial_date: c.latestDate },
  };
}

export function parseModalContext(raw: string | undefined): ModalContext | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<ModalContext>;
    return typeof v.itemId === 'string'
      ? {
          itemId: v.itemId,
          channel: typeof v.channel === 'string' ? v.channel : null,
          ts: typeof v.ts === 'string' ? v.ts : null,
        }
      : null;
  } catch {
    return null;
  }
}
