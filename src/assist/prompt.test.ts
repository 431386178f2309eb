import { describe, expect, it } from 'vitest';
import { readingKindOf, readingText } from './prompt.js';

describe('reading answers', () => {
  it('chooses a summary for access reviews and a triage for alerts', () => {
    expect(readingKindOf('dormant_key')).toBe('summary');
    expect(readingKindOf('unowned_key')).toBe('summary');
    expect(readingKindOf('usage_spike')).toBe('triage');
    expect(readingKindOf('privilege_grant')).toBe('triage');
  });

  it('accepts a plain two-sentence summary', () => {
    const r = readingText(
      'summary',
      JSON.stringify({ summary: 'Used daily by the nightly ETL until 2026-03-12. Silent since; created by Ivan.' }),
    );
    expect(r).toEqual({
      ok: true,
      text: 'Used daily by the nightly ETL until 2026-03-12. Silent since; created by Ivan.',
    });
  });

  it('formats a triage as three labelled lines', () => {
    const r = readingText(
      'triage',
      JSON.stringify({
        what_happened: 'The key made 98,000 requests on 2026-04-21.',
        why_unusual: 'Its mean was 1,200 a day.',
        check_first: 'Ask the owner about new jobs.',
      }),
    );
    expect(r.ok && r.text.split('\n')).toEqual([
      'What happened: The key made 98,000 requests on 2026-04-21.',
      'Why it is unusual: Its mean was 1,200 a day.',
      'Check first: Ask the owner about new jobs.',
    ]);
  });

  it('refuses what may not be shown: not JSON, wrong shape, links, mentions, essays', () => {
    expect(readingText('summary', 'Sure! Here is a summary.')).toEqual({ ok: false, why: 'not JSON' });
    expect(readingText('summary', '{"text":"x"}').ok).toBe(false);
    expect(readingText('summary', JSON.stringify({ summary: 'Click https://evil.example to keep it safe.' }))).toEqual({
      ok: false,
      why: 'summary: contains a link, mention or markup',
    });
    expect(readingText('summary', JSON.stringify({ summary: 'Hey <!channel> this key is idle now.' })).ok).toBe(false);
    expect(readingText('summary', JSON.stringify({ summary: 'One. Two. Three. Four.' })).ok).toBe(false);
    expect(readingText('summary', JSON.stringify({ summary: 'x'.repeat(401) })).ok).toBe(false);
    expect(readingText('triage', JSON.stringify({ what_happened: 'Something happened here.' })).ok).toBe(false);
  });
});
