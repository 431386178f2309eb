import { describe, expect, it } from 'vitest';
import { makeSnapshot } from '../../../test/support/steward-fixtures.js';
import { escalationMessage, reminderMessage } from './followup.js';

describe('escalation message', () => {
  const now = new Date('2026-03-20T09:00:00Z');
  const base = makeSnapshot({
    kind: 'dormant_key',
    subject: { type: 'api_key', id: 'apikey_01', label: 'nightly-etl' },
    assigneeSlackId: 'U0BOB',
    now,
  });

  it('shows the security team the summary the reviewer was shown, and who wrote it', () => {
    const s = {
      ...base,
      evidence: {
        ...base.evidence,
        reading: {
          kind: 'summary' as const,
          text: 'Used daily until 10 February, silent since.',
          source: 'claude' as const,
          model: 'claude-haiku-4-5',
          fallback: null,
          facts: 'rf1_x',
        },
      },
    };
    const text = JSON.stringify(escalationMessage(s, now).blocks);
    expect(text).toContain('Used daily until 10 February, silent since.');
    expect(text).toContain('Summary by Claude (claude-haiku-4-5)');
  });

  it('has no reading section when the review was delivered without one', () => {
    const text = JSON.stringify(
      escalationMessage({ ...base, evidence: { ...base.evidence, reading: null } }, now).blocks,
    );
    expect(text).not.toContain('by Claude');
  });
});

describe('reminder', () => {
  const now = new Date('2026-03-20T09:00:00Z');
  const review = (label: string, organization?: { id: string; name: string }) => {
    const s = makeSnapshot({
      kind: 'dormant_key',
      subject: { type: 'api_key', id: `apikey_${label}`, label },
      assigneeSlackId: 'U0BOB',
      now,
    });
    return organization ? { ...s, evidence: { ...s.evidence, organization } } : s;
  };

  it('names the organisation of each item when its evidence does (several organisations)', () => {
    const text = JSON.stringify(
      reminderMessage([review('twin-key', { id: 'org-b', name: 'Acme Production' }), review('solo-key')], now).blocks,
    );
    expect(text).toContain('• _Acme Production_ · twin-key');
    expect(text).toContain('• solo-key');
  });
});
