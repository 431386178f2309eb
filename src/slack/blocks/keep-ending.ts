import type { KnownBlock } from '@slack/types';
import type { KeepEnding } from '../../review/keep-ending.js';
import { daysLeft } from '../../review/timing.js';
import { ACTION } from '../ids.js';
import { accessLine, approvalLine } from './evidence.js';
import { mention, safe, slackDate } from './format.js';
import type { Rendered } from './review.js';
import { clip, LIMITS, mrkdwn, plain } from './text.js';

/**
 * "Your Keep ends in 7 days" (issue 20): what was kept, why, until when, and **Keep** to
 * renew now; doing nothing lets it lapse, and Steward asks again once it has.
 */
export function keepEndingMessage(k: KeepEnding, now: Date): Rendered {
  const c = k.certification;
  const left = Math.max(daysLeft(c.validUntil, now), 0);
  const head = `Your Keep of ${accessLine(k.evidence)} ends ${slackDate(c.validUntil)}${left ? ` (in ${left} day${left === 1 ? '' : 's'})` : ''}.\nKept${c.certifiedBySlackId ? ` by ${mention(c.certifiedBySlackId)}` : ''}: “${safe(c.reason)}”`;
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(clip(head, LIMITS.sectionText)) }];
  if (k.evidence.approval) blocks.push({ type: 'section', text: mrkdwn(approvalLine(k.evidence.approval)) });
  const r = k.renewal;
  if (r) {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(
          `:white_check_mark: *Renewed* by ${mention(r.certifiedBySlackId)} ${slackDate(r.createdAt)}, until ${slackDate(r.validUntil)}: “${safe(r.reason)}”`,
          LIMITS.sectionText,
        ),
      ),
    });
  } else {
    blocks.push(
      {
        type: 'actions',
        block_id: `keep_ending:${c.id}`,
        elements: [
          {
            type: 'button',
            text: plain('Keep', LIMITS.buttonText),
            action_id: ACTION.renewKeep,
            value: c.id,
            style: 'primary',
          },
        ],
      },
      {
        type: 'context',
        elements: [
          mrkdwn('*Keep* renews it now, with a reason. Or let it lapse: Steward then asks whether it is still needed.'),
        ],
      },
    );
  }
  const text = r
    ? `Your Keep of ${k.evidence.subject.label} was renewed until ${r.validUntil.toISOString().slice(0, 10)}.`
    : `Your Keep of ${k.evidence.subject.label} ends ${c.validUntil.toISOString().slice(0, 10)}: renew it with Keep or let it lapse.`;
  return { blocks, text: clip(text, LIMITS.fallbackText) };
}
