import type { KnownBlock } from '@slack/types';
import type { AskAnswer, Citation } from '../../assist/types.js';
import { safe } from './format.js';
import { clip, LIMITS, mrkdwn } from './text.js';

const KIND_LABEL: Record<Citation['kind'], string> = {
  finding: 'finding',
  api_key: 'key',
  user: 'member',
  service_account: 'service account',
  audit: 'audit row',
  campaign: 'campaign',
};

/** The ephemeral answer to `/steward ask`: the question, the answer, its sources, who wrote it. */
export function askMessage(question: string, a: AskAnswer): { blocks: KnownBlock[]; text: string } {
  const sources = a.citations.map((c) => `${KIND_LABEL[c.kind]} \`${safe(c.id)}\``).join(', ');
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [mrkdwn(`*You asked:* ${safe(clip(question, 500))}`)] },
    { type: 'section', text: mrkdwn(a.outcome === 'answered' ? safe(a.text) : `:warning: ${safe(a.text)}`) },
  ];
  if (a.outcome === 'answered') {
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(clip(sources ? `Sources: ${sources}` : 'No rows cited.', LIMITS.sectionText)),
        mrkdwn(
          `Written by Claude (${safe(a.model ?? 'unknown model')}) from Steward's data (${a.toolCalls} tool call${a.toolCalls === 1 ? '' : 's'}); it reads, never acts.`,
        ),
      ],
    });
  }
  const text = clip(
    `${a.text}${sources ? ` (sources: ${a.citations.map((c) => c.id).join(', ')})` : ''}`,
    LIMITS.fallbackText,
  );
  return { blocks, text };
}
