import type { KnownBlock } from '@slack/types';
import type { EvidenceReading } from '../../domain/evidence.js';
import { safe } from './format.js';
import { mrkdwn } from './text.js';

/**
 * The plain-language reading of the evidence, shown above a review's buttons: escaped
 * like any text Steward did not write itself, with the triage labels in bold, and,
 * when Claude wrote it, which model did.
 */
export function readingBlocks(r: EvidenceReading): KnownBlock[] {
  const text = safe(r.text).replace(/^(What happened|Why it is unusual|Check first):/gm, '*$1:*');
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(text) }];
  if (r.source === 'claude') {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `${r.kind === 'triage' ? 'Triage' : 'Summary'} by Claude (${safe(r.model ?? 'unknown model')}) from the evidence below; check it before you decide.`,
        ),
      ],
    });
  }
  return blocks;
}
