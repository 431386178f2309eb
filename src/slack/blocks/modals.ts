import type { ModalView } from '@slack/types';
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
}

export function keepModal(s: ReviewSnapshot, keepDays: readonly number[], ctx: ModalContext): ModalView {
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
          options: keepDays.map(option),
        },
      },
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

export function parseModalContext(raw: string | undefined): ModalContext | null {
  try {
    const v = JSON.parse(raw ?? '') as Partial<ModalContext>;
    return typeof v.itemId === 'string'
      ? { itemId: v.itemId, channel: typeof v.channel === 'string' ? v.channel : null }
      : null;
  } catch {
    return null;
  }
}
