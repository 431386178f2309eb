import { describe, expect, it } from 'vitest';
import { readingBlocks } from './reading.js';

describe('reading blocks', () => {
  it('escapes the text, bolds the triage labels and names the model when Claude wrote it', () => {
    const blocks = readingBlocks({
      kind: 'triage',
      text: 'What happened: R&D key <x> made 9 requests.\nWhy it is unusual: none before.\nCheck first: the owner.',
      source: 'claude',
      model: 'claude-haiku-4-5',
      fallback: null,
      facts: 'rf1_x',
    });
    expect(blocks[0]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*What happened:* R&amp;D key &lt;x&gt; made 9 requests.\n*Why it is unusual:* none before.\n*Check first:* the owner.',
      },
    });
    expect(JSON.stringify(blocks[1])).toContain('Triage by Claude (claude-haiku-4-5)');
  });

  it('shows the template text alone', () => {
    const blocks = readingBlocks({
      kind: 'summary',
      text: 'API key “ci” in workspace Data.',
      source: 'template',
      model: null,
      fallback: 'timeout',
      facts: 'rf1_y',
    });
    expect(blocks).toHaveLength(1);
  });
});
